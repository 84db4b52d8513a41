package org.lfadsrt.host.record;

/**
 * Constants of the session recording file (docs/recording.md is the specification). Little-endian.
 *
 * <pre>
 * header : "LFRTREC1" | u16 version | u16 reserved | u32 n_in | u32 fac_dim | u32 n_out | u32 decoded_dim
 *          | u32 t_enc | i64 bin_width_ns | i64 start_epoch_ns | str source_id | str model | str backend
 *          | u32 crc32(all header bytes before it)                       (str = u16 byte count + UTF-8)
 * record : u32 length L | L bytes: u8 type, u8 reserved, u16 reserved, payload | u32 crc32(the L bytes)
 * </pre>
 */
public final class RecordingFormat {
  private RecordingFormat() {}

  public static final byte[] MAGIC = {'L', 'F', 'R', 'T', 'R', 'E', 'C', '1'};
  public static final int VERSION = 1;
  /** Suffix of a recording being written; renamed away only by a clean close. */
  public static final String PARTIAL_SUFFIX = ".part";

  /** Payload: i64 bin_index, i64 t_source_ns, u16 event flags (SpikeSource bits), u16 n, i32 counts[n]. */
  public static final int BIN = 0x01;
  /**
   * Payload: i64 seq, i64 bin_index, i64 t_source, i64 t_accept, i64 t_backend_start, i64 t_backend_done,
   * u16 result flags, u16 n_factors, u16 n_rates, u16 n_decoded, f32 values[n_factors + n_rates + n_decoded].
   */
  public static final int RESULT = 0x02;
  /** Payload: i64 records lost since the previous record (recording buffers were full). */
  public static final int GAP = 0x03;
  /** Payload: u16 code (Protocol NOTICE codes), str message. */
  public static final int NOTE = 0x04;
  /** Payload: i64 bins_in, i64 published, i64 dropped, i64 records_lost. Written only by a clean close. */
  public static final int END = 0x0E;

  /** Bytes of record framing around the payload: length, type word, crc. */
  public static final int RECORD_OVERHEAD = 4 + 4 + 4;
  /** Largest record length accepted by the reader (guards against a corrupt length field). */
  public static final int MAX_RECORD = 1 << 24;

  public static int binRecordBytes(int n) {
    return RECORD_OVERHEAD + 8 + 8 + 2 + 2 + 4 * n;
  }

  public static int resultRecordBytes(int values) {
    return RECORD_OVERHEAD + 6 * 8 + 2 + 3 * 2 + 4 * values;
  }

  public static String typeName(int type) {
    return switch (type) {
      case BIN -> "BIN";
      case RESULT -> "RESULT";
      case GAP -> "GAP";
      case NOTE -> "NOTE";
      case END -> "END";
      default -> "0x" + Integer.toHexString(type);
    };
  }
}

package org.lfadsrt.host.source;

/**
 * Wire format the acquisition system uses to push spikes to the host over TCP (docs/protocol.md,
 * "Ingest"). Same framing as the rig protocol: little-endian, every frame
 *
 * <pre>
 *  0      4      5       6        8
 *  +------+------+-------+--------+---------------------+
 *  |length| type |version| flags  | body ...            |
 *  | u32  | u8   | u8    | u16    | length - 4 bytes    |
 *  +------+------+-------+--------+---------------------+
 * </pre>
 * {@code length} counts the bytes after the length field (header rest + body).
 */
public final class IngestProtocol {
  private IngestProtocol() {}

  public static final int VERSION = 1;
  public static final int LENGTH_FIELD = 4;
  public static final int HEADER_REST = 4; // type, version, flags
  /** Largest ingest frame accepted (length field value). */
  public static final int MAX_FRAME = 1 << 20;

  /** Body: i64 acquisition time ns of the bin end, u16 n, n x u16 counts. */
  public static final int BIN_COUNTS = 0x41;
  /** Body: u16 n, then n x (u16 channel, i64 acquisition time ns). Times non-decreasing. */
  public static final int SPIKE_EVENTS = 0x42;
  /** Body: i64 acquisition time ns: the clock has reached this time (closes empty bins). */
  public static final int TICK = 0x43;
  /** Body: empty. The next bin is the first of a trial. */
  public static final int TRIAL_START = 0x44;
  /** Body: empty. The last bin sent ended the trial. */
  public static final int TRIAL_END = 0x45;
  /** Body: empty. No more data: the host finishes and shuts the source. */
  public static final int END_OF_STREAM = 0x46;
  /** Host to acquisition: u16 code, u16 length, UTF-8 message; then the host closes the connection. */
  public static final int ERROR = 0x7F;

  public static final int SPIKE_EVENT_BYTES = 10;
}

package org.lfadsrt.host.record;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Reads a recording record by record. A file cut short (crash, kill, full disk) reads back up to the
 * last whole record with a valid CRC; {@link #tail()} then says what was found after it (the incomplete
 * tail), and {@link #complete()} is true only when the END record of a clean close was read.
 */
public final class RecordingReader implements AutoCloseable {

  /** One record. Exactly one of the typed views is non-null, matching {@code type}. */
  public record Record(int type, long offset, Bin bin, Result result, long gapLost, Note note, End end) {}

  public record Bin(long binIndex, long tSource, int eventFlags, int[] counts) {}

  public record Result(long seq, long binIndex, long tSource, long tAccept, long tBackendStart, long tBackendDone, int flags,
      float[] factors, float[] rates, float[] decoded) {}

  public record Note(int code, String message) {}

  public record End(long binsIn, long published, long dropped, long recordsLost) {}

  /** What ended reading: null while records remain. */
  public record Tail(long offset, long bytes, String reason) {}

  private final DataInputStream in;
  private final String name;
  private final RecordingHeader header;
  private final CRC32 crc = new CRC32();
  private long offset;
  private long records;
  private boolean complete;
  private Tail tail;

  public static RecordingReader open(Path file) throws IOException {
    return new RecordingReader(Files.newInputStream(file), file.toString());
  }

  /** @throws RecordingFormatException when the header is not a valid recording header */
  public RecordingReader(InputStream input, String name) throws IOException {
    this.in = new DataInputStream(new BufferedInputStream(input, 1 << 16));
    this.name = name;
    this.header = readHeader();
  }

  public RecordingHeader header() { return header; }
  /** True once the END record has been read. */
  public boolean complete() { return complete; }
  public long records() { return records; }
  /** Why reading stopped before an END record (incomplete tail), or null. */
  public Tail tail() { return tail; }

  private RecordingHeader readHeader() throws IOException {
    byte[] fixed = new byte[8 + 4 + 5 * 4 + 16];
    try {
      in.readFully(fixed);
    } catch (EOFException e) {
      throw new RecordingFormatException(name + ": not a recording (shorter than its header)");
    }
    for (int i = 0; i < 8; i++) {
      if (fixed[i] != RecordingFormat.MAGIC[i]) throw new RecordingFormatException(name + ": not a recording (bad magic)");
    }
    ByteBuffer b = ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN);
    b.position(8);
    int version = Short.toUnsignedInt(b.getShort());
    if (version != RecordingFormat.VERSION) {
      throw new RecordingFormatException(name + ": recording version " + version + " unsupported (this reader: " + RecordingFormat.VERSION + ")");
    }
    b.getShort();
    int nIn = b.getInt(), fac = b.getInt(), nOut = b.getInt(), dec = b.getInt(), tEnc = b.getInt();
    long binWidth = b.getLong(), start = b.getLong();
    crc.reset();
    crc.update(fixed);
    try {
      String source = headerString(), model = headerString(), backend = headerString();
      int stored = Integer.reverseBytes(in.readInt());
      if (stored != (int) crc.getValue()) throw new RecordingFormatException(name + ": header CRC mismatch");
      offset = fixed.length + 6 + utf8Len(source) + utf8Len(model) + utf8Len(backend) + 4;
      if (nIn <= 0 || fac < 0 || nOut < 0 || dec < 0 || tEnc <= 0 || binWidth <= 0 || nIn > 65535 || fac > 65535
          || nOut > 65535 || dec > 65535) {
        throw new RecordingFormatException(name + ": header has impossible dimensions (n_in " + nIn + ", fac " + fac + ", n_out "
            + nOut + ", decoded " + dec + ", t_enc " + tEnc + ", bin width " + binWidth + " ns)");
      }
      return new RecordingHeader(nIn, fac, nOut, dec, tEnc, binWidth, start, source, model, backend);
    } catch (EOFException e) {
      throw new RecordingFormatException(name + ": header truncated");
    }
  }

  private static int utf8Len(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private String headerString() throws IOException {
    byte[] len = new byte[2];
    in.readFully(len);
    crc.update(len);
    int n = (len[0] & 0xFF) | (len[1] & 0xFF) << 8;
    byte[] s = new byte[n];
    in.readFully(s);
    crc.update(s);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(s)).toString();
    } catch (CharacterCodingException e) {
      throw new RecordingFormatException(name + ": header string is not UTF-8");
    }
  }

  /** The next record, or null at the end (then see {@link #complete()} and {@link #tail()}). */
  public Record next() throws IOException {
    if (complete || tail != null) return null;
    long at = offset;
    byte[] lengthBytes = new byte[4];
    int got = in.readNBytes(lengthBytes, 0, 4);
    if (got == 0) {
      tail = new Tail(at, 0, "file ends after record " + records + " without an END record (the writer did not close it)");
      return null;
    }
    if (got < 4) return cut(at, got, "length field");
    int length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (length < 4 || length > RecordingFormat.MAX_RECORD) {
      tail = new Tail(at, -1, "corrupt record length " + Integer.toUnsignedString(length) + " at offset " + at);
      return null;
    }
    byte[] body = new byte[length];
    int read = in.readNBytes(body, 0, length);
    if (read < length) return cut(at, 4 + read, "record body");
    byte[] crcBytes = new byte[4];
    int c = in.readNBytes(crcBytes, 0, 4);
    if (c < 4) return cut(at, 4 + read + c, "record CRC");
    crc.reset();
    crc.update(body);
    if (ByteBuffer.wrap(crcBytes).order(ByteOrder.LITTLE_ENDIAN).getInt() != (int) crc.getValue()) {
      tail = new Tail(at, -1, "CRC mismatch in record " + (records + 1) + " at offset " + at);
      return null;
    }
    offset += 8 + length;
    records++;
    Record r = parse(body, at);
    if (r.type() == RecordingFormat.END) complete = true;
    return r;
  }

  private Record cut(long at, long bytes, String what) {
    tail = new Tail(at, bytes, "incomplete tail: " + bytes + " bytes at offset " + at + " end inside a " + what
        + " (after record " + records + ")");
    return null;
  }

  private Record parse(byte[] body, long at) throws RecordingFormatException {
    ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    int type = Byte.toUnsignedInt(b.get());
    b.get();
    b.getShort();
    try {
      Record r = switch (type) {
        case RecordingFormat.BIN -> {
          long bin = b.getLong(), ts = b.getLong();
          int flags = b.getShort(); // signed: END_OF_STREAM is never recorded
          int n = Short.toUnsignedInt(b.getShort());
          if (n != 0 && n != header.nIn()) throw bad(at, "BIN with " + n + " counts, the recording has n_in " + header.nIn());
          int[] counts = new int[n];
          for (int i = 0; i < n; i++) counts[i] = b.getInt();
          yield new Record(type, at, new Bin(bin, ts, flags, counts), null, 0, null, null);
        }
        case RecordingFormat.RESULT -> {
          long seq = b.getLong(), bin = b.getLong(), ts = b.getLong(), ta = b.getLong(), tbs = b.getLong(), tbd = b.getLong();
          int flags = Short.toUnsignedInt(b.getShort());
          int nf = Short.toUnsignedInt(b.getShort()), nr = Short.toUnsignedInt(b.getShort()), nd = Short.toUnsignedInt(b.getShort());
          if (nf != header.facDim() || nr != header.nOut() || nd != header.decodedDim()) {
            throw bad(at, "RESULT with " + nf + "/" + nr + "/" + nd + " values, header says " + header.facDim() + "/"
                + header.nOut() + "/" + header.decodedDim());
          }
          yield new Record(type, at, null, new Result(seq, bin, ts, ta, tbs, tbd, flags, floats(b, nf), floats(b, nr), floats(b, nd)),
              0, null, null);
        }
        case RecordingFormat.GAP -> new Record(type, at, null, null, b.getLong(), null, null);
        case RecordingFormat.NOTE -> {
          int code = Short.toUnsignedInt(b.getShort());
          int n = Short.toUnsignedInt(b.getShort());
          byte[] text = new byte[n];
          b.get(text);
          yield new Record(type, at, null, null, 0, new Note(code, new String(text, StandardCharsets.UTF_8)), null);
        }
        case RecordingFormat.END -> new Record(type, at, null, null, 0, null, new End(b.getLong(), b.getLong(), b.getLong(), b.getLong()));
        default -> throw bad(at, "unknown record type " + RecordingFormat.typeName(type));
      };
      if (b.hasRemaining()) throw bad(at, RecordingFormat.typeName(type) + " record has " + b.remaining() + " bytes too many");
      return r;
    } catch (java.nio.BufferUnderflowException e) {
      throw bad(at, RecordingFormat.typeName(type) + " record too short (" + body.length + " bytes)");
    }
  }

  private RecordingFormatException bad(long at, String what) {
    return new RecordingFormatException(name + ": record at offset " + at + ": " + what);
  }

  private static float[] floats(ByteBuffer b, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = b.getFloat();
    return a;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** The file is not a readable recording; the message names the file and the place. */
  public static final class RecordingFormatException extends IOException {
    public RecordingFormatException(String message) {
      super(message);
    }
  }
}

package org.lfadsrt.sim.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes numpy {@code .npy} files (format versions 1.0, 2.0 and 3.0; see
 * numpy/lib/format.py). Supported: the little-endian dtypes of {@link NdArray.DType}, C order.
 * Fortran order, object arrays, structured dtypes and big-endian multi-byte data are rejected with
 * an error naming the source and the problem. Written files use version 1.0 unless the header
 * needs more than 65535 bytes, and pad the header to a multiple of 64 bytes as numpy does.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;

  private Npy() {}

  public static NdArray read(Path path) throws IOException {
    return read(Files.readAllBytes(path), path.toString());
  }

  public static NdArray read(InputStream in, String sourceName) throws IOException {
    return read(in.readAllBytes(), sourceName);
  }

  /** Parses a complete {@code .npy} image; {@code sourceName} appears in every error message. */
  public static NdArray read(byte[] bytes, String sourceName) throws NpyFormatException {
    if (bytes.length < 10) {
      throw new NpyFormatException(sourceName + ": not a .npy file (only " + bytes.length + " bytes)");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) throw new NpyFormatException(sourceName + ": not a .npy file (bad magic)");
    }
    int major = bytes[6] & 0xFF;
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen;
    int headerStart;
    switch (major) {
      case 1 -> {
        headerLen = bb.getShort(8) & 0xFFFF;
        headerStart = 10;
      }
      case 2, 3 -> {
        if (bytes.length < 12) throw new NpyFormatException(sourceName + ": truncated .npy header");
        headerLen = bb.getInt(8) & 0xFFFF_FFFFL;
        headerStart = 12;
      }
      default -> throw new NpyFormatException(
          sourceName + ": unsupported .npy format version " + major + "." + (bytes[7] & 0xFF));
    }
    if (headerStart + headerLen > bytes.length) {
      throw new NpyFormatException(sourceName + ": truncated .npy header (needs " + headerLen
          + " bytes, file has " + (bytes.length - headerStart) + ")");
    }
    String header = new String(bytes, headerStart, (int) headerLen,
        major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Header h = parseHeader(header, sourceName);
    int dataStart = headerStart + (int) headerLen;
    long count = NdArray.elementCount(h.shape);
    long need = count * h.dtype.itemSize();
    long have = bytes.length - dataStart;
    if (have < need) {
      throw new NpyFormatException(sourceName + ": truncated data: shape " + NdArray.shapeString(h.shape)
          + " " + h.dtype.descr() + " needs " + need + " bytes, file has " + have);
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw new NpyFormatException(sourceName + ": too many elements (" + count + ")");
    }
    ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) need).slice().order(ByteOrder.LITTLE_ENDIAN);
    return decode(data, h.dtype, h.shape, (int) count, sourceName);
  }

  private static NdArray decode(ByteBuffer data, NdArray.DType dtype, int[] shape, int n, String src)
      throws NpyFormatException {
    switch (dtype) {
      case F8 -> {
        double[] d = new double[n];
        data.asDoubleBuffer().get(d);
        return NdArray.ofDoubles(d, shape);
      }
      case F4 -> {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = data.getFloat(4 * i);
        return NdArray.ofDoubles(NdArray.DType.F4, d, shape);
      }
      default -> {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
          l[i] = switch (dtype) {
            case I8 -> data.getLong(8 * i);
            case I4 -> data.getInt(4 * i);
            case I2 -> data.getShort(2 * i);
            case I1 -> data.get(i);
            case U1 -> data.get(i) & 0xFFL;
            case U2 -> data.getShort(2 * i) & 0xFFFFL;
            case U4 -> data.getInt(4 * i) & 0xFFFF_FFFFL;
            case BOOL -> {
              byte b = data.get(i);
              if (b != 0 && b != 1) throw new NpyFormatException(src + ": bool element " + i + " is " + b);
              yield b;
            }
            default -> throw new IllegalStateException(dtype.toString());
          };
        }
        return NdArray.ofLongs(dtype, l, shape);
      }
    }
  }

  private record Header(NdArray.DType dtype, boolean fortran, int[] shape) {}

  /** Parses numpy's header: a Python dict literal with keys descr, fortran_order, shape. */
  static Header parseHeader(String header, String src) throws NpyFormatException {
    String s = header.strip();
    if (!s.startsWith("{") || !s.endsWith("}")) {
      throw new NpyFormatException(src + ": malformed .npy header: " + s);
    }
    String descr = null;
    Boolean fortran = null;
    int[] shape = null;
    HeaderLexer lx = new HeaderLexer(s.substring(1, s.length() - 1), src);
    while (lx.skipSpace()) {
      String key = lx.string();
      lx.expect(':');
      switch (key) {
        case "descr" -> {
          lx.skipSpace();
          if (lx.peek() != '\'' && lx.peek() != '"') {
            throw new NpyFormatException(src + ": unsupported dtype (structured or object array): " + s);
          }
          descr = lx.string();
        }
        case "fortran_order" -> fortran = lx.bool();
        case "shape" -> shape = lx.tuple();
        default -> throw new NpyFormatException(src + ": unexpected key '" + key + "' in .npy header");
      }
      if (lx.skipSpace() && lx.peek() == ',') lx.expect(',');
    }
    if (descr == null || fortran == null || shape == null) {
      throw new NpyFormatException(src + ": .npy header lacks descr, fortran_order or shape: " + s);
    }
    if (fortran) {
      throw new NpyFormatException(src + ": Fortran-order arrays are not supported (save with "
          + "np.ascontiguousarray(a) first)");
    }
    NdArray.DType dtype = NdArray.DType.fromDescr(descr);
    if (dtype == null) {
      throw new NpyFormatException(src + ": unsupported dtype '" + descr
          + "' (supported: <f8 <f4 <i8 <i4 <i2 |i1 |u1 <u2 <u4 |b1)");
    }
    return new Header(dtype, false, shape);
  }

  private static final class HeaderLexer {
    private final String s;
    private final String src;
    private int pos;

    HeaderLexer(String s, String src) {
      this.s = s;
      this.src = src;
    }

    /** Skips whitespace; false at end of input. */
    boolean skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
      return pos < s.length();
    }

    char peek() {
      return s.charAt(pos);
    }

    void expect(char c) throws NpyFormatException {
      skipSpace();
      if (pos >= s.length() || s.charAt(pos) != c) throw error("expected '" + c + "'");
      pos++;
    }

    String string() throws NpyFormatException {
      skipSpace();
      if (pos >= s.length()) throw error("expected a string");
      char q = s.charAt(pos);
      if (q != '\'' && q != '"') throw error("expected a string");
      int end = s.indexOf(q, pos + 1);
      if (end < 0) throw error("unterminated string");
      String v = s.substring(pos + 1, end);
      pos = end + 1;
      return v;
    }

    boolean bool() throws NpyFormatException {
      skipSpace();
      if (s.startsWith("True", pos)) {
        pos += 4;
        return true;
      }
      if (s.startsWith("False", pos)) {
        pos += 5;
        return false;
      }
      throw error("expected True or False");
    }

    int[] tuple() throws NpyFormatException {
      expect('(');
      List<Integer> dims = new ArrayList<>();
      while (true) {
        skipSpace();
        if (pos >= s.length()) throw error("unterminated shape tuple");
        char c = s.charAt(pos);
        if (c == ')') {
          pos++;
          break;
        }
        if (c == ',') {
          pos++;
          continue;
        }
        int start = pos;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
        if (pos < s.length() && s.charAt(pos) == 'L') pos++; // Python 2 long suffix
        String num = s.substring(start, pos).replace("L", "");
        if (num.isEmpty()) throw error("bad shape entry");
        long v = Long.parseLong(num);
        if (v > Integer.MAX_VALUE) throw error("dimension " + v + " too large");
        dims.add((int) v);
      }
      return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private NpyFormatException error(String what) {
      return new NpyFormatException(src + ": malformed .npy header (" + what + " at position " + pos + "): " + s);
    }
  }

  // ---------------------------------------------------------------- writing

  public static void write(Path path, NdArray a) throws IOException {
    Files.write(path, toBytes(a));
  }

  public static void write(OutputStream out, NdArray a) throws IOException {
    out.write(toBytes(a));
  }

  /** The complete {@code .npy} image of {@code a}. */
  public static byte[] toBytes(NdArray a) {
    String dict = "{'descr': '" + a.dtype().descr() + "', 'fortran_order': False, 'shape': "
        + a.shapeString() + ", }";
    byte[] dictBytes = dict.getBytes(StandardCharsets.ISO_8859_1);
    int prefix = 10;
    int total = prefix + dictBytes.length + 1; // + '\n'
    int major = 1;
    if (((total + ALIGN - 1) / ALIGN) * ALIGN - prefix > 0xFFFF) {
      major = 2;
      prefix = 12;
      total = prefix + dictBytes.length + 1;
    }
    int padded = ((total + ALIGN - 1) / ALIGN) * ALIGN;
    int headerLen = padded - prefix;
    int n = a.size();
    ByteBuffer bb = ByteBuffer.allocate(padded + n * a.dtype().itemSize()).order(ByteOrder.LITTLE_ENDIAN);
    bb.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) bb.putShort((short) headerLen);
    else bb.putInt(headerLen);
    bb.put(dictBytes);
    for (int i = total; i < padded; i++) bb.put((byte) ' ');
    bb.put((byte) '\n');
    double[] d = a.doubleData();
    long[] l = a.longData();
    switch (a.dtype()) {
      case F8 -> bb.asDoubleBuffer().put(d);
      case F4 -> {
        for (double v : d) bb.putFloat((float) v);
      }
      case I8 -> bb.asLongBuffer().put(l);
      case I4, U4 -> {
        for (long v : l) bb.putInt((int) v);
      }
      case I2, U2 -> {
        for (long v : l) bb.putShort((short) v);
      }
      case I1, U1, BOOL -> {
        for (long v : l) bb.put((byte) v);
      }
    }
    return bb.array();
  }
}

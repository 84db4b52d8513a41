package org.lfadsrt.sim.fixed;

import static org.lfadsrt.sim.contract.KernelContract.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * A quantized LFADS model as the FPGA kernel reads it: the versioned binary of docs/kernel-numerics.md §9
 * (1024-byte header of little-endian 32-bit words, then the payload sections in ID order on 16-word
 * boundaries). Instances are immutable and always valid: {@link #fromBytes}, {@link #read} and
 * {@link Builder#build} check magic, version, sizes, CRC, dimensions, formats, section shapes, offsets,
 * value ranges, the accumulator fractions and the accumulator bound, and throw {@link KernelImageException}
 * naming the field, the expected and the found value.
 */
public final class KernelImage {
  /** Largest dimension the validator accepts (a sanity bound against corrupt headers, not a kernel limit). */
  public static final int MAX_DIM = 1 << 16;

  private final int[] header;
  private final int[][] sections;

  private KernelImage(int[] header, int[][] sections) {
    this.header = header;
    this.sections = sections;
  }

  // ------------------------------------------------------------------------------------------------------
  // Accessors.
  // ------------------------------------------------------------------------------------------------------

  /** Header word {@code index} (an {@code H_*} constant of KernelContract). */
  public int header(int index) {
    return header[index];
  }

  /** The elements of a section (row-major), one W-bit value per int. Do not modify. */
  public int[] section(int id) {
    return sections[id];
  }

  public int sectionOffset(int id) {
    return header[H_SECTION_TABLE + id * SECTION_ENTRY_WORDS + SECTION_OFFSET];
  }

  public int sectionRows(int id) {
    return header[H_SECTION_TABLE + id * SECTION_ENTRY_WORDS + SECTION_ROWS];
  }

  public int sectionCols(int id) {
    return header[H_SECTION_TABLE + id * SECTION_ENTRY_WORDS + SECTION_COLS];
  }

  public int sectionFrac(int id) {
    return header[H_SECTION_TABLE + id * SECTION_ENTRY_WORDS + SECTION_FRAC];
  }

  public int accFrac(int layer) {
    return header[H_ACC_FRAC_BASE + layer];
  }

  public int dataWidth() { return header[H_DATA_WIDTH]; }
  public int accWidth() { return header[H_ACC_WIDTH]; }
  public boolean hasController() { return (header[H_FLAGS] & IMAGE_FLAG_HAS_CONTROLLER) != 0; }
  public int nIn() { return header[H_N_IN]; }
  public int nOut() { return header[H_N_OUT]; }
  public int tEnc() { return header[H_T_ENC]; }
  public int tRec() { return header[H_T_REC]; }
  public int hIcEnc() { return header[H_H_ICENC]; }
  public int hCiEnc() { return header[H_H_CIENC]; }
  public int ciLag() { return header[H_CI_LAG]; }
  public int hCon() { return header[H_H_CON]; }
  public int coDim() { return header[H_CO_DIM]; }
  public int icDim() { return header[H_IC_DIM]; }
  public int hGen() { return header[H_H_GEN]; }
  public int facDim() { return header[H_FAC_DIM]; }
  public int fracState() { return header[H_FRAC_STATE]; }
  public int fracGate() { return header[H_FRAC_GATE]; }
  public int fracPre() { return header[H_FRAC_PRE]; }
  public int preWidth() { return header[H_PRE_WIDTH]; }
  public int fracIc() { return header[H_FRAC_IC]; }
  public int fracCo() { return header[H_FRAC_CO]; }
  public int fracFac() { return header[H_FRAC_FAC]; }
  public int fracLograte() { return header[H_FRAC_LOGRATE]; }
  public int clipQ() { return header[H_CLIP_Q]; }
  public int actSegBits() { return header[H_ACT_SEG_BITS]; }
  public int sigmoidRangeExp() { return header[H_SIGMOID_RANGE_EXP]; }
  public int tanhRangeExp() { return header[H_TANH_RANGE_EXP]; }
  public int lanesHint() { return header[H_LANES_HINT]; }
  public int payloadWords() { return header[H_PAYLOAD_WORDS]; }
  public int payloadCrc32() { return header[H_PAYLOAD_CRC32]; }

  /** A short human-readable summary (dimensions and formats). */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("kernel image v%d: W=%d ACC_W=%d %s%n", header[H_VERSION], dataWidth(), accWidth(),
        hasController() ? "with controller" : "no controller"));
    sb.append(String.format("  dims: N_in=%d N_out=%d T_enc=%d T_rec=%d ic_enc=%d ci_enc=%d ci_lag=%d con=%d co=%d ic=%d gen=%d fac=%d%n",
        nIn(), nOut(), tEnc(), tRec(), hIcEnc(), hCiEnc(), ciLag(), hCon(), coDim(), icDim(), hGen(), facDim()));
    sb.append(String.format("  fractions: state=%d gate=%d pre=%d(w%d) ic=%d co=%d fac=%d lograte=%d clipQ=%d K=%d%n",
        fracState(), fracGate(), fracPre(), preWidth(), fracIc(), fracCo(), fracFac(), fracLograte(), clipQ(), actSegBits()));
    sb.append("  acc fractions:");
    for (int l = 0; l < LAYER_COUNT; l++) sb.append(' ').append(LAYER_NAMES.get(l)).append('=').append(accFrac(l));
    sb.append(String.format("%n  payload: %d words, crc32 %08x%n", payloadWords(), payloadCrc32()));
    return sb.toString();
  }

  // ------------------------------------------------------------------------------------------------------
  // Serialisation.
  // ------------------------------------------------------------------------------------------------------

  /** The image as bytes, exactly as the kernel reads it. */
  public byte[] toBytes() {
    ByteBuffer bb = ByteBuffer.allocate(IMAGE_HEADER_BYTES + payloadWords() * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int w : header) bb.putInt(w);
    writePayload(bb, header, sections);
    return bb.array();
  }

  public void write(Path path) throws IOException {
    Files.write(path, toBytes());
  }

  public static KernelImage read(Path path) throws IOException {
    return fromBytes(Files.readAllBytes(path));
  }

  /** Parse and validate an image. */
  public static KernelImage fromBytes(byte[] bytes) {
    if (bytes.length < IMAGE_HEADER_BYTES) {
      if (bytes.length >= 4) {
        int magic = ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (magic != IMAGE_MAGIC) throw new KernelImageException("MAGIC", hex(IMAGE_MAGIC), hex(magic));
      }
      throw new KernelImageException("file length (truncated header)", ">= " + IMAGE_HEADER_BYTES + " bytes",
          bytes.length + " bytes");
    }
    ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int[] header = new int[IMAGE_HEADER_WORDS];
    for (int i = 0; i < header.length; i++) header[i] = bb.getInt();
    check("MAGIC", IMAGE_MAGIC, header[H_MAGIC], true);
    check("VERSION", IMAGE_VERSION, header[H_VERSION], false);
    check("HEADER_BYTES", IMAGE_HEADER_BYTES, header[H_HEADER_BYTES], false);
    int payloadWords = header[H_PAYLOAD_WORDS];
    long expectedLength = IMAGE_HEADER_BYTES + 4L * payloadWords;
    if (payloadWords < 0 || bytes.length < expectedLength) {
      throw new KernelImageException("file length (PAYLOAD_WORDS = " + payloadWords + ")",
          expectedLength + " bytes", bytes.length + " bytes (truncated)");
    }
    if (bytes.length != expectedLength) {
      throw new KernelImageException("file length (PAYLOAD_WORDS = " + payloadWords + ")",
          expectedLength + " bytes", bytes.length + " bytes (trailing data)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, IMAGE_HEADER_BYTES, payloadWords * 4);
    check("PAYLOAD_CRC32", (int) crc.getValue(), header[H_PAYLOAD_CRC32], true);
    validateHeader(header);
    int[][] sections = new int[SECTION_COUNT][];
    for (int id = 0; id < SECTION_COUNT; id++) {
      int base = H_SECTION_TABLE + id * SECTION_ENTRY_WORDS;
      int n = header[base + SECTION_ROWS] * header[base + SECTION_COLS];
      int[] data = new int[n];
      bb.position(IMAGE_HEADER_BYTES + 4 * header[base + SECTION_OFFSET]);
      for (int i = 0; i < n; i++) data[i] = bb.getInt();
      sections[id] = data;
    }
    validateContent(header, sections);
    return new KernelImage(header, sections);
  }

  private static void writePayload(ByteBuffer bb, int[] header, int[][] sections) {
    for (int id = 0; id < SECTION_COUNT; id++) {
      bb.position(IMAGE_HEADER_BYTES + 4 * header[H_SECTION_TABLE + id * SECTION_ENTRY_WORDS + SECTION_OFFSET]);
      for (int v : sections[id]) bb.putInt(v);
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Validation.
  // ------------------------------------------------------------------------------------------------------

  private static String hex(int v) {
    return String.format("0x%08X", v);
  }

  private static void check(String field, long expected, long found, boolean asHex) {
    if (expected != found) {
      throw new KernelImageException(field, asHex ? hex((int) expected) : Long.toString(expected),
          asHex ? hex((int) found) : Long.toString(found));
    }
  }

  private static void checkRange(String field, long lo, long hi, long found) {
    if (found < lo || found > hi) {
      throw new KernelImageException(field, "in [" + lo + ", " + hi + "]", Long.toString(found));
    }
  }

  /** Expected {rows, cols} of every section for the dimensions in {@code h}. */
  static int[][] expectedShapes(int[] h) {
    boolean con = (h[H_FLAGS] & IMAGE_FLAG_HAS_CONTROLLER) != 0;
    int nin = h[H_N_IN], nout = h[H_N_OUT], hic = h[H_H_ICENC], hci = h[H_H_CIENC], hcon = h[H_H_CON];
    int co = h[H_CO_DIM], ic = h[H_IC_DIM], gen = h[H_H_GEN], fac = h[H_FAC_DIM];
    int tbl = (1 << h[H_ACT_SEG_BITS]) + 1;
    int[][] s = new int[SECTION_COUNT][];
    for (int d = 0; d < 2; d++) {
      int b = d * 4;
      s[S_IC_FWD_H0 + b] = new int[] {1, hic};
      s[S_IC_FWD_WIH + b] = new int[] {3 * hic, nin};
      s[S_IC_FWD_WHH + b] = new int[] {3 * hic, hic};
      s[S_IC_FWD_B + b] = new int[] {1, 3 * hic};
      s[S_CI_FWD_H0 + b] = con ? new int[] {1, hci} : new int[] {0, 0};
      s[S_CI_FWD_WIH + b] = con ? new int[] {3 * hci, nin} : new int[] {0, 0};
      s[S_CI_FWD_WHH + b] = con ? new int[] {3 * hci, hci} : new int[] {0, 0};
      s[S_CI_FWD_B + b] = con ? new int[] {1, 3 * hci} : new int[] {0, 0};
    }
    s[S_CON_H0] = con ? new int[] {1, hcon} : new int[] {0, 0};
    s[S_CON_WIH] = con ? new int[] {3 * hcon, 2 * hci + fac} : new int[] {0, 0};
    s[S_CON_WHH] = con ? new int[] {3 * hcon, hcon} : new int[] {0, 0};
    s[S_CON_B] = con ? new int[] {1, 3 * hcon} : new int[] {0, 0};
    s[S_CO_W] = con ? new int[] {co, hcon} : new int[] {0, 0};
    s[S_CO_B] = con ? new int[] {1, co} : new int[] {0, 0};
    s[S_IC_LIN_W] = new int[] {ic, 2 * hic};
    s[S_IC_LIN_B] = new int[] {1, ic};
    s[S_G0_W] = new int[] {gen, ic};
    s[S_G0_B] = new int[] {1, gen};
    s[S_GEN_WIH] = new int[] {3 * gen, con ? co : 0};
    s[S_GEN_WHH] = new int[] {3 * gen, gen};
    s[S_GEN_B] = new int[] {1, 3 * gen};
    s[S_FAC_W] = new int[] {fac, gen};
    s[S_RO_W] = new int[] {nout, fac};
    s[S_RO_B] = new int[] {1, nout};
    s[S_SIGMOID_TABLE] = new int[] {1, tbl};
    s[S_TANH_TABLE] = new int[] {1, tbl};
    return s;
  }

  /** Offsets (words) of every section and the payload length for the given shapes (§9: 16-word alignment). */
  static int[] layout(int[][] shapes) {
    int[] offsets = new int[SECTION_COUNT + 1];
    long pos = 0;
    for (int id = 0; id < SECTION_COUNT; id++) {
      pos = alignUp(pos);
      offsets[id] = (int) pos;
      pos += (long) shapes[id][0] * shapes[id][1];
      if (pos > Integer.MAX_VALUE / 8) throw new KernelImageException("payload size", "< 2^28 words", pos + " words");
    }
    offsets[SECTION_COUNT] = (int) alignUp(pos);
    return offsets;
  }

  private static long alignUp(long words) {
    long a = IMAGE_SECTION_ALIGN_WORDS;
    return (words + a - 1) / a * a;
  }

  /** Header checks that need no payload: widths, flags, dimensions, formats, layout, reserved words. */
  private static void validateHeader(int[] h) {
    checkRange("DATA_WIDTH", 8, 18, h[H_DATA_WIDTH]);
    int w = h[H_DATA_WIDTH];
    checkRange("ACC_WIDTH", 40, 62, h[H_ACC_WIDTH]);
    if ((h[H_FLAGS] & ~IMAGE_FLAG_HAS_CONTROLLER) != 0) {
      throw new KernelImageException("FLAGS", "only bit0 (HAS_CONTROLLER) may be set", hex(h[H_FLAGS]));
    }
    boolean con = (h[H_FLAGS] & IMAGE_FLAG_HAS_CONTROLLER) != 0;
    String[] always = {"N_IN", "N_OUT", "T_ENC", "T_REC", "H_ICENC", "IC_DIM", "H_GEN", "FAC_DIM"};
    int[] alwaysIdx = {H_N_IN, H_N_OUT, H_T_ENC, H_T_REC, H_H_ICENC, H_IC_DIM, H_H_GEN, H_FAC_DIM};
    for (int i = 0; i < always.length; i++) checkRange(always[i], 1, MAX_DIM, h[alwaysIdx[i]]);
    if (h[H_T_REC] < h[H_T_ENC]) {
      throw new KernelImageException("T_REC", ">= T_ENC (" + h[H_T_ENC] + ")", Integer.toString(h[H_T_REC]));
    }
    String[] conNames = {"H_CIENC", "H_CON", "CO_DIM"};
    int[] conIdx = {H_H_CIENC, H_H_CON, H_CO_DIM};
    for (int i = 0; i < conNames.length; i++) {
      if (con) checkRange(conNames[i] + " (HAS_CONTROLLER set)", 1, MAX_DIM, h[conIdx[i]]);
      else check(conNames[i] + " (HAS_CONTROLLER clear)", 0, h[conIdx[i]], false);
    }
    // A lag >= T_ENC is legal (the encoder halves are all zero); without a controller the lag is unused.
    checkRange("CI_LAG", 0, MAX_DIM, h[H_CI_LAG]);

    check("FRAC_GATE", w - 1, h[H_FRAC_GATE], false);
    check("FRAC_PRE", w - 1, h[H_FRAC_PRE], false);
    check("PRE_WIDTH", w + 4, h[H_PRE_WIDTH], false);
    checkRange("FRAC_STATE", 0, w - 1, h[H_FRAC_STATE]);
    checkRange("FRAC_IC", 0, 2 * w, h[H_FRAC_IC]);
    checkRange("FRAC_CO", 0, 2 * w, h[H_FRAC_CO]); // unused without a controller
    checkRange("FRAC_FAC", 0, 2 * w, h[H_FRAC_FAC]);
    checkRange("FRAC_LOGRATE", 0, 2 * w, h[H_FRAC_LOGRATE]);
    checkRange("CLIP_Q", 1, FixedPoint.maxOf(w), h[H_CLIP_Q]);
    check("SIGMOID_RANGE_EXP", ActivationTable.SIGMOID_RANGE_EXP, h[H_SIGMOID_RANGE_EXP], false);
    check("TANH_RANGE_EXP", ActivationTable.TANH_RANGE_EXP, h[H_TANH_RANGE_EXP], false);
    // s = E + 1 + Fp - K >= 0 for the smaller table (tanh), and at most 16 bits of index.
    checkRange("ACT_SEG_BITS", 1, Math.min(16, ActivationTable.TANH_RANGE_EXP + 1 + (w - 1)), h[H_ACT_SEG_BITS]);
    checkRange("LANES_HINT", 0, MAX_DIM, h[H_LANES_HINT]);
    for (int i = H_ACC_FRAC_BASE + LAYER_COUNT; i < H_SECTION_TABLE; i++) check("reserved header word " + i, 0, h[i], false);
    for (int i = H_SECTION_TABLE + SECTION_COUNT * SECTION_ENTRY_WORDS; i < IMAGE_HEADER_WORDS; i++) {
      check("reserved header word " + i, 0, h[i], false);
    }

    int[][] shapes = expectedShapes(h);
    int[] offsets = layout(shapes);
    for (int id = 0; id < SECTION_COUNT; id++) {
      int base = H_SECTION_TABLE + id * SECTION_ENTRY_WORDS;
      String name = "section " + SECTION_NAMES.get(id);
      check(name + " rows", shapes[id][0], h[base + SECTION_ROWS], false);
      check(name + " cols", shapes[id][1], h[base + SECTION_COLS], false);
      check(name + " offset", offsets[id], h[base + SECTION_OFFSET], false);
    }
    check("PAYLOAD_WORDS", offsets[SECTION_COUNT], h[H_PAYLOAD_WORDS], false);
  }

  /** Checks that need the payload: section fractions, value ranges, ACC_FRAC and the accumulator bound. */
  private static void validateContent(int[] h, int[][] sections) {
    int w = h[H_DATA_WIDTH];
    int fs = h[H_FRAC_STATE];
    long lo = FixedPoint.minOf(w), hi = FixedPoint.maxOf(w);
    for (int id = 0; id < SECTION_COUNT; id++) {
      int[] d = sections[id];
      int frac = h[H_SECTION_TABLE + id * SECTION_ENTRY_WORDS + SECTION_FRAC];
      String name = "section " + SECTION_NAMES.get(id);
      if (d.length == 0) {
        check(name + " frac (empty section)", 0, frac, false);
      } else if (id == S_SIGMOID_TABLE || id == S_TANH_TABLE) {
        check(name + " frac", w - 1, frac, false);
      } else if (isH0(id)) {
        check(name + " frac", fs, frac, false);
      } else {
        checkRange(name + " frac", 0, 2 * w, frac);
      }
      for (int i = 0; i < d.length; i++) {
        if (d[i] < lo || d[i] > hi) {
          throw new KernelImageException(name + " element " + i, "a " + w + "-bit value in [" + lo + ", " + hi + "]",
              Integer.toString(d[i]));
        }
      }
    }
    LayerPlan.Formats f = formats(h);
    boolean con = (h[H_FLAGS] & IMAGE_FLAG_HAS_CONTROLLER) != 0;
    for (int layer = 0; layer < LAYER_COUNT; layer++) {
      String name = "ACC_FRAC[" + LAYER_NAMES.get(layer) + "]";
      int a = h[H_ACC_FRAC_BASE + layer];
      if (!con && LayerPlan.isControllerLayer(layer)) {
        check(name + " (no controller)", 0, a, false);
        continue;
      }
      int[] ws = LayerPlan.weightSections(layer);
      int[] wf = new int[ws.length], cols = new int[ws.length];
      int[][] wd = new int[ws.length][];
      for (int s = 0; s < ws.length; s++) {
        wf[s] = sectionFracOf(h, ws[s]);
        cols[s] = sectionColsOf(h, ws[s]);
        wd[s] = sections[ws[s]];
      }
      int expectedA = LayerPlan.accFrac(layer, f, wf, cols);
      check(name, expectedA, a, false);
      int bs = LayerPlan.biasSection(layer);
      int fb = bs < 0 ? 0 : sectionFracOf(h, bs);
      if (bs >= 0) checkRange("section " + SECTION_NAMES.get(bs) + " frac", 0, a, fb);
      int rows = sectionRowsOf(h, ws[ws.length - 1]);
      int bad = LayerPlan.firstOverflowingRow(layer, f, h[H_ACC_WIDTH], a, rows, wd, cols, wf,
          bs < 0 ? null : sections[bs], fb);
      if (bad >= 0) {
        throw new KernelImageException("accumulator bound of " + LAYER_NAMES.get(layer) + " row " + bad,
            "worst-case |sum| < 2^" + (h[H_ACC_WIDTH] - 1), "a row that can overflow");
      }
    }
  }

  static LayerPlan.Formats formats(int[] h) {
    return new LayerPlan.Formats(h[H_DATA_WIDTH], h[H_FRAC_STATE], h[H_FRAC_IC], h[H_FRAC_CO], h[H_FRAC_FAC]);
  }

  private static boolean isH0(int id) {
    return id == S_IC_FWD_H0 || id == S_IC_BWD_H0 || id == S_CI_FWD_H0 || id == S_CI_BWD_H0 || id == S_CON_H0;
  }

  private static int sectionFracOf(int[] h, int id) {
    return h[H_SECTION_TABLE + id * SECTION_ENTRY_WORDS + SECTION_FRAC];
  }

  private static int sectionColsOf(int[] h, int id) {
    return h[H_SECTION_TABLE + id * SECTION_ENTRY_WORDS + SECTION_COLS];
  }

  private static int sectionRowsOf(int[] h, int id) {
    return h[H_SECTION_TABLE + id * SECTION_ENTRY_WORDS + SECTION_ROWS];
  }

  // ------------------------------------------------------------------------------------------------------
  // Building.
  // ------------------------------------------------------------------------------------------------------

  public static Builder builder() {
    return new Builder();
  }

  /** Assembles an image: set header words and sections, then {@link #build()} lays out, checksums and validates. */
  public static final class Builder {
    private final int[] header = new int[IMAGE_HEADER_WORDS];
    private final int[][] data = new int[SECTION_COUNT][];
    private final int[] fracs = new int[SECTION_COUNT];

    private Builder() {
      header[H_ACC_WIDTH] = 48;
      header[H_ACT_SEG_BITS] = ActivationTable.DEFAULT_SEG_BITS;
      header[H_SIGMOID_RANGE_EXP] = ActivationTable.SIGMOID_RANGE_EXP;
      header[H_TANH_RANGE_EXP] = ActivationTable.TANH_RANGE_EXP;
    }

    /** Set header word {@code index}; MAGIC, VERSION, HEADER_BYTES, PAYLOAD_* and the section table are set by build. */
    public Builder set(int index, int value) {
      header[index] = value;
      return this;
    }

    public Builder accFrac(int layer, int a) {
      header[H_ACC_FRAC_BASE + layer] = a;
      return this;
    }

    /** Section content (row-major; its shape comes from the dimensions) and fraction. */
    public Builder section(int id, int frac, int[] values) {
      data[id] = values;
      fracs[id] = frac;
      return this;
    }

    public int get(int index) {
      return header[index];
    }

    public KernelImage build() {
      int[] h = header.clone();
      h[H_MAGIC] = IMAGE_MAGIC;
      h[H_VERSION] = IMAGE_VERSION;
      h[H_HEADER_BYTES] = IMAGE_HEADER_BYTES;
      int[][] shapes = expectedShapes(h);
      int[] offsets = layout(shapes);
      int[][] secs = new int[SECTION_COUNT][];
      for (int id = 0; id < SECTION_COUNT; id++) {
        int n = shapes[id][0] * shapes[id][1];
        int[] d = data[id] == null ? new int[0] : data[id].clone();
        if (d.length != n) {
          throw new KernelImageException("section " + SECTION_NAMES.get(id) + " length",
              n + " (" + shapes[id][0] + "x" + shapes[id][1] + ")", Integer.toString(d.length));
        }
        secs[id] = d;
        int base = H_SECTION_TABLE + id * SECTION_ENTRY_WORDS;
        h[base + SECTION_OFFSET] = offsets[id];
        h[base + SECTION_ROWS] = shapes[id][0];
        h[base + SECTION_COLS] = shapes[id][1];
        h[base + SECTION_FRAC] = n == 0 ? 0 : fracs[id];
      }
      h[H_PAYLOAD_WORDS] = offsets[SECTION_COUNT];
      ByteBuffer payload = ByteBuffer.allocate(IMAGE_HEADER_BYTES + offsets[SECTION_COUNT] * 4).order(ByteOrder.LITTLE_ENDIAN);
      writePayload(payload, h, secs);
      CRC32 crc = new CRC32();
      crc.update(payload.array(), IMAGE_HEADER_BYTES, offsets[SECTION_COUNT] * 4);
      h[H_PAYLOAD_CRC32] = (int) crc.getValue();
      validateHeader(h);
      validateContent(h, secs);
      return new KernelImage(h, secs);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KernelImage k && Arrays.equals(header, k.header) && Arrays.deepEquals(sections, k.sections);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(header) * 31 + Arrays.deepHashCode(sections);
  }
}

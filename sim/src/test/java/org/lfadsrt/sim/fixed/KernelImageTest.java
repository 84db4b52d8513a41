package org.lfadsrt.sim.fixed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lfadsrt.sim.contract.KernelContract.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lfadsrt.sim.model.LfadsConfig;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/** The §9 binary: round trip, exact layout, and rejection of every kind of corruption with a named field. */
class KernelImageTest {
  static KernelImage image;
  static byte[] bytes;

  @BeforeAll
  static void quantizeOnce() {
    LfadsConfig c = RandomModels.oddConfig(11, true);
    LfadsModel m = RandomModels.random(c, 3);
    image = Quantizer.quantize(m, RandomModels.poissonSpikes(c, 4, 0.5, 1), 16);
    bytes = image.toBytes();
  }

  static int word(byte[] b, int index) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(index * 4);
  }

  static byte[] withWord(byte[] b, int index, int value) {
    byte[] c = b.clone();
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(index * 4, value);
    return c;
  }

  /** Recomputes the payload CRC so a deliberate payload change reaches the later checks. */
  static byte[] withFixedCrc(byte[] b) {
    CRC32 crc = new CRC32();
    crc.update(b, IMAGE_HEADER_BYTES, b.length - IMAGE_HEADER_BYTES);
    return withWord(b, H_PAYLOAD_CRC32, (int) crc.getValue());
  }

  static KernelImageException rejected(byte[] b) {
    return assertThrows(KernelImageException.class, () -> KernelImage.fromBytes(b));
  }

  @Test
  void roundTripsThroughBytesAndFiles(@TempDir Path dir) throws Exception {
    KernelImage back = KernelImage.fromBytes(bytes);
    assertEquals(image, back);
    assertArrayEquals(bytes, back.toBytes());
    Path f = dir.resolve("k.img");
    image.write(f);
    assertEquals(image, KernelImage.read(f));
    assertEquals(IMAGE_HEADER_BYTES + 4L * image.payloadWords(), Files.size(f));
  }

  @Test
  void layoutFollowsTheSpec() {
    assertEquals(IMAGE_MAGIC, word(bytes, H_MAGIC));
    assertEquals('L', bytes[0]);
    assertEquals('F', bytes[1]);
    assertEquals('K', bytes[2]);
    assertEquals('I', bytes[3]);
    int prevEnd = 0;
    for (int id = 0; id < SECTION_COUNT; id++) {
      int off = image.sectionOffset(id);
      assertEquals(0, off % IMAGE_SECTION_ALIGN_WORDS, "alignment of " + SECTION_NAMES.get(id));
      assertTrue(off >= prevEnd && off - prevEnd < IMAGE_SECTION_ALIGN_WORDS, "packing of " + SECTION_NAMES.get(id));
      int[] d = image.section(id);
      for (int i = 0; i < d.length; i++) assertEquals(d[i], word(bytes, IMAGE_HEADER_WORDS + off + i));
      prevEnd = off + d.length;
      // gaps are zero-filled
      for (int g = prevEnd; g < (id + 1 < SECTION_COUNT ? image.sectionOffset(id + 1) : image.payloadWords()); g++) {
        assertEquals(0, word(bytes, IMAGE_HEADER_WORDS + g));
      }
    }
    assertEquals(image.payloadWords(), (prevEnd + 15) / 16 * 16);
    assertEquals(1025, image.section(S_SIGMOID_TABLE).length);
    assertEquals(3 * image.hGen() * image.coDim(), image.section(S_GEN_WIH).length);
  }

  @Test
  void rejectsBadMagic() {
    KernelImageException e = rejected(withWord(bytes, H_MAGIC, 0x12345678));
    assertEquals("MAGIC", e.field());
    assertTrue(e.getMessage().contains("0x494B464C") && e.getMessage().contains("0x12345678"), e.getMessage());
  }

  @Test
  void rejectsBadVersion() {
    KernelImageException e = rejected(withWord(bytes, H_VERSION, 2));
    assertEquals("VERSION", e.field());
    assertTrue(e.getMessage().contains("expected 1, found 2"), e.getMessage());
  }

  @Test
  void rejectsCorruptPayload() {
    byte[] b = bytes.clone();
    b[IMAGE_HEADER_BYTES + 4 * image.sectionOffset(S_GEN_WHH) + 1] ^= 0x10;
    assertEquals("PAYLOAD_CRC32", rejected(b).field());
  }

  @Test
  void rejectsTruncatedFiles() {
    KernelImageException e = rejected(Arrays.copyOf(bytes, bytes.length - 4));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(rejected(Arrays.copyOf(bytes, 100)).getMessage().contains("truncated"));
    assertEquals("MAGIC", rejected(new byte[] {1, 2, 3, 4, 5}).field());
    assertTrue(rejected(Arrays.copyOf(bytes, bytes.length + 64)).getMessage().contains("trailing"));
  }

  @Test
  void rejectsBadDimensions() {
    KernelImageException zero = rejected(withWord(bytes, H_N_IN, 0));
    assertEquals("N_IN", zero.field());
    assertTrue(zero.getMessage().contains("found 0"), zero.getMessage());
    // A plausible but wrong dimension no longer matches the section table.
    KernelImageException wrong = rejected(withWord(bytes, H_H_GEN, image.hGen() + 1));
    assertTrue(wrong.field().startsWith("section "), wrong.getMessage());
    assertEquals("T_REC", rejected(withWord(bytes, H_T_REC, image.tEnc() - 1)).field()); // below T_ENC (or 0)
    assertEquals("H_CIENC (HAS_CONTROLLER clear)", rejected(withWord(bytes, H_FLAGS, 0)).field());
    assertEquals("N_OUT", rejected(withWord(bytes, H_N_OUT, KernelImage.MAX_DIM + 1)).field());
  }

  @Test
  void rejectsBadSectionShapeAndOffset() {
    int rowsWord = H_SECTION_TABLE + S_RO_W * SECTION_ENTRY_WORDS + SECTION_ROWS;
    KernelImageException e = rejected(withWord(bytes, rowsWord, image.nOut() + 1));
    assertEquals("section RO_W rows", e.field());
    int offWord = H_SECTION_TABLE + S_FAC_W * SECTION_ENTRY_WORDS + SECTION_OFFSET;
    assertEquals("section FAC_W offset", rejected(withWord(bytes, offWord, image.sectionOffset(S_FAC_W) + 16)).field());
  }

  @Test
  void rejectsInconsistentFormats() {
    assertEquals("FRAC_GATE", rejected(withWord(bytes, H_FRAC_GATE, 14)).field());
    assertEquals("DATA_WIDTH", rejected(withWord(bytes, H_DATA_WIDTH, 7)).field());
    assertEquals("ACC_FRAC[GEN]", rejected(withWord(bytes, H_ACC_FRAC_BASE + LAYER_GEN, image.accFrac(LAYER_GEN) + 1)).field());
    assertEquals("reserved header word 200", rejected(withWord(bytes, 200, 1)).field());
  }

  @Test
  void rejectsValuesWiderThanW() {
    byte[] b = withWord(bytes, IMAGE_HEADER_WORDS + image.sectionOffset(S_RO_B), 40000);
    KernelImageException e = rejected(withFixedCrc(b));
    assertEquals("section RO_B element 0", e.field());
  }

  @Test
  void rejectsAnAccumulatorThatCanOverflow() {
    // The quantizer proved the bound for 48 bits; at 40 bits some row of this image can overflow.
    KernelImageException e = rejected(withWord(bytes, H_ACC_WIDTH, 40));
    assertTrue(e.field().startsWith("accumulator bound of "), e.getMessage());
  }
}

package org.lfadsrt.sim.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads fixtures written by numpy 1.24 (sim/python/make_npy_fixtures.py; the values there are
 * repeated literally here) and checks that what Java writes is byte-identical to what numpy writes.
 */
class NpyTest {

  static byte[] fixture(String name) throws Exception {
    try (InputStream in = NpyTest.class.getResourceAsStream("/npy/" + name)) {
      if (in == null) throw new IllegalStateException("missing test fixture /npy/" + name);
      return in.readAllBytes();
    }
  }

  static NdArray read(String name) throws Exception {
    return Npy.read(fixture(name), name);
  }

  static final double[] F8 = {0.5, -1.25, 1.0 / 3.0, 1e-300, -0.0, 6.02e23};

  @Test
  void aThreeDimensionalIntegerArrayReadsAsNestedIntsInCOrder() {
    NdArray a = NdArray.ofLongs(NdArray.DType.I8, new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 3, 2);
    int[][][] x = a.toIntArray3();
    assertArrayEquals(new int[] {6, 7}, x[1][0]); // flat index (1*3 + 0)*2 + k
    assertArrayEquals(new int[] {10, 11}, x[1][2]);
    assertEquals(3, x[0].length);
    assertEquals(3, NdArray.ofDoubles(new double[] {1, 2, 3}, 1, 1, 3).toIntArray3()[0][0][2]);
    assertThrows(IllegalStateException.class, () -> NdArray.ofDoubles(new double[] {0.5}, 1, 1, 1).toIntArray3());
    assertThrows(IllegalStateException.class, () -> NdArray.ofDoubles(new double[] {1, 2}, 1, 2).toIntArray3());
    assertThrows(ArithmeticException.class,
        () -> NdArray.ofLongs(NdArray.DType.I8, new long[] {1L << 40}, 1, 1, 1).toIntArray3());
  }

  @Test
  void readsFloat64AndWritesIdenticalBytes() throws Exception {
    for (String name : new String[] {"f8_2x3.npy", "f8_2x3_v2.npy"}) {
      NdArray a = read(name);
      assertEquals(NdArray.DType.F8, a.dtype());
      assertArrayEquals(new int[] {2, 3}, a.shape());
      assertArrayEquals(F8, a.doubleData());
      assertEquals(1.0 / 3.0, a.get(0, 2));
      assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(a.get(1, 1)));
    }
    assertArrayEquals(fixture("f8_2x3.npy"), Npy.toBytes(NdArray.ofDoubles(F8, 2, 3)));
  }

  @Test
  void readsFloat32ExactlyAsFloat() throws Exception {
    NdArray a = read("f4_3.npy");
    assertEquals(NdArray.DType.F4, a.dtype());
    assertArrayEquals(new double[] {0.1f, -2.5f, 3.4028235e38f}, a.doubleData());
    assertArrayEquals(fixture("f4_3.npy"), Npy.toBytes(a));
  }

  @Test
  void readsEveryIntegerDtypeAtItsExtremes() throws Exception {
    check("i8_4.npy", NdArray.DType.I8, new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, 4);
    check("i4_2x2.npy", NdArray.DType.I4, new long[] {Integer.MIN_VALUE, 7, 0, Integer.MAX_VALUE}, 2, 2);
    check("i2_3.npy", NdArray.DType.I2, new long[] {-32768, 5, 32767}, 3);
    check("i1_3.npy", NdArray.DType.I1, new long[] {-128, 0, 127}, 3);
    check("u1_3.npy", NdArray.DType.U1, new long[] {0, 200, 255}, 3);
    check("u2_3.npy", NdArray.DType.U2, new long[] {0, 40000, 65535}, 3);
    check("u4_3.npy", NdArray.DType.U4, new long[] {0, 3_000_000_000L, 4_294_967_295L}, 3);
    check("bool_4.npy", NdArray.DType.BOOL, new long[] {1, 0, 0, 1}, 4);
    long[] seq = new long[24];
    for (int i = 0; i < 24; i++) seq[i] = i;
    check("i8_2x3x4.npy", NdArray.DType.I8, seq, 2, 3, 4);
    assertEquals(23, read("i8_2x3x4.npy").get(1, 2, 3));
  }

  private static void check(String name, NdArray.DType dtype, long[] values, int... shape) throws Exception {
    NdArray a = read(name);
    assertEquals(dtype, a.dtype(), name);
    assertArrayEquals(shape, a.shape(), name);
    assertArrayEquals(values, a.longData(), name);
    assertArrayEquals(fixture(name), Npy.toBytes(NdArray.ofLongs(dtype, values, shape)), name + " written bytes");
  }

  @Test
  void readsScalarAndEmptyArrays() throws Exception {
    NdArray s = read("f8_scalar.npy");
    assertEquals(0, s.ndim());
    assertEquals(2.75, s.getDouble(0));
    assertArrayEquals(fixture("f8_scalar.npy"), Npy.toBytes(s));
    NdArray e = read("f8_0x3.npy");
    assertArrayEquals(new int[] {0, 3}, e.shape());
    assertEquals(0, e.size());
    assertArrayEquals(fixture("f8_0x3.npy"), Npy.toBytes(e));
  }

  @Test
  void rejectsFortranOrder() {
    var ex = assertThrows(NpyFormatException.class, () -> read("f8_fortran.npy"));
    assertTrue(ex.getMessage().contains("f8_fortran.npy") && ex.getMessage().contains("Fortran"), ex.getMessage());
  }

  @Test
  void rejectsUnsupportedDtypes() {
    var c = assertThrows(NpyFormatException.class, () -> read("c16_2.npy"));
    assertTrue(c.getMessage().contains("unsupported dtype '<c16'"), c.getMessage());
    var be = assertThrows(NpyFormatException.class, () -> read("f8_bigendian.npy"));
    assertTrue(be.getMessage().contains("unsupported dtype '>f8'"), be.getMessage());
  }

  @Test
  void rejectsTruncatedDataAndGarbage() {
    var t = assertThrows(NpyFormatException.class, () -> read("f8_truncated.npy"));
    assertTrue(t.getMessage().contains("truncated data") && t.getMessage().contains("needs 48 bytes, file has 43"),
        t.getMessage());
    var g = assertThrows(NpyFormatException.class, () -> Npy.read("hello, world".getBytes(), "g.npy"));
    assertTrue(g.getMessage().contains("g.npy: not a .npy file"), g.getMessage());
  }

  @Test
  void writesVersion2WhenHeaderIsHuge() throws Exception {
    int[] shape = new int[30000]; // a header of > 64 KiB of "1, 1, ..."
    java.util.Arrays.fill(shape, 1);
    byte[] b = Npy.toBytes(NdArray.ofDoubles(new double[] {4.5}, shape));
    assertEquals(2, b[6]);
    NdArray back = Npy.read(b, "big");
    assertEquals(30000, back.ndim());
    assertEquals(4.5, back.getDouble(0));
    assertEquals(0, (b.length - 8) % 64, "data starts on a 64-byte boundary");
  }

  @Test
  void rejectsValuesThatDoNotFitTheDtype() {
    var ex = assertThrows(IllegalArgumentException.class,
        () -> NdArray.ofLongs(NdArray.DType.U1, new long[] {3, 256}, 2));
    assertTrue(ex.getMessage().contains("256") && ex.getMessage().contains("|u1"), ex.getMessage());
  }

  @Test
  void npzFromNumpyWithJsonMember(@TempDir Path dir) throws Exception {
    byte[] bytes = fixture("mixed.npz");
    Path p = dir.resolve("mixed.npz");
    Files.write(p, bytes);
    for (NpzReader r : new NpzReader[] {NpzReader.open(p), NpzReader.read(new ByteArrayInputStream(bytes), "mixed.npz")}) {
      assertEquals(java.util.Set.of("weights", "counts"), r.arrayNames());
      assertTrue(r.memberNames().contains("hparams.json"));
      assertArrayEquals(F8, r.array("weights").doubleData());
      assertArrayEquals(new long[] {1, 2, 3}, r.array("counts").longData());
      assertArrayEquals(new int[] {1, 3}, r.array("counts").shape());
      assertEquals("{\"gen_dim\": 64, \"cell_clip\": 5.0}", r.text("hparams.json"));
      var missing = assertThrows(NpyFormatException.class, () -> r.array("nope"));
      assertEquals("mixed.npz: missing array 'nope'", missing.getMessage().replace(p.toString(), "mixed.npz"));
    }
    NpzReader compressed = NpzReader.read(new ByteArrayInputStream(fixture("compressed.npz")), "compressed.npz");
    assertArrayEquals(F8, compressed.array("weights").doubleData());
  }

  @Test
  void npzRoundTrip(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("out.npz");
    NdArray w = NdArray.ofDoubles(F8, 3, 2);
    NdArray c = NdArray.ofLongs(NdArray.DType.I2, new long[] {-5, 9}, 2);
    try (NpzWriter wr = NpzWriter.create(p)) {
      wr.put("w", w).put("c", c).putText("hparams.json", "{\"a\": 1}");
    }
    NpzReader r = NpzReader.open(p);
    assertEquals(w, r.array("w"));
    assertEquals(c, r.array("c"));
    assertEquals("{\"a\": 1}", r.text("hparams.json"));
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (NpzWriter wr = new NpzWriter(bos)) {
      wr.put("w", w);
    }
    assertEquals(w, NpzReader.read(new ByteArrayInputStream(bos.toByteArray()), "mem").array("w"));
  }

  @Test
  void rejectsNonZipAsNpz(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("bad.npz");
    Files.writeString(p, "not a zip");
    var ex = assertThrows(NpyFormatException.class, () -> NpzReader.open(p));
    assertTrue(ex.getMessage().contains("bad.npz"), ex.getMessage());
    var ex2 = assertThrows(NpyFormatException.class,
        () -> NpzReader.read(new ByteArrayInputStream("not a zip".getBytes()), "s.npz"));
    assertTrue(ex2.getMessage().startsWith("s.npz: "), ex2.getMessage());
  }
}

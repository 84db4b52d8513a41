package org.lfadsrt.host.record;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A small HDF5 writer over the reference HDF5 C library (Debian's libhdf5, through JNA): groups, datasets of float32,
 * float64, int64 and variable-length UTF-8 strings, and string / number attributes. Used for NWB output because jhdf 0.9.4's
 * writer (alpha) corrupts the first empty group written after a dataset ("bad object header version number" in
 * h5py), and NWB files need empty groups; libhdf5 is what h5py and pynwb write with, so the files are HDF5 as NWB
 * tools expect (variable-length strings included). Every call is checked; a failure names the call and the object.
 * Not thread-safe; one writer per file.
 */
final class Hdf5File implements AutoCloseable {
  /** Debian's serial HDF5 (package libhdf5-103-1, a dependency of python3-h5py). */
  static final String LIBRARY = "/usr/lib/x86_64-linux-gnu/libhdf5_serial.so.103";

  @SuppressWarnings("checkstyle:MethodName")
  interface H5 extends Library {
    int H5open();
    int H5Eset_auto2(long stack, Pointer func, Pointer data);
    long H5Fcreate(String name, int flags, long fcpl, long fapl);
    int H5Fclose(long file);
    long H5Gcreate2(long loc, String name, long lcpl, long gcpl, long gapl);
    int H5Gclose(long group);
    long H5Screate(int type);
    long H5Screate_simple(int rank, long[] dims, long[] maxdims);
    int H5Sclose(long space);
    long H5Tcopy(long type);
    int H5Tset_size(long type, long size);
    int H5Tset_cset(long type, int cset);
    int H5Tclose(long type);
    long H5Dcreate2(long loc, String name, long type, long space, long lcpl, long dcpl, long dapl);
    int H5Dwrite(long dset, long memType, long memSpace, long fileSpace, long xfer, Pointer buf);
    int H5Dclose(long dset);
    long H5Acreate2(long loc, String name, long type, long space, long acpl, long aapl);
    int H5Awrite(long attr, long memType, Pointer buf);
    int H5Aclose(long attr);
  }

  private static final int H5F_ACC_TRUNC = 2;
  private static final int H5S_SCALAR = 0;
  private static final long H5S_ALL = 0, H5P_DEFAULT = 0, H5E_DEFAULT = 0;
  private static final long H5T_VARIABLE = -1;
  private static final int H5T_CSET_UTF8 = 1;

  private static H5 h5;
  private static long nativeDouble, nativeFloat, nativeInt, nativeLong, cString;

  private final long file;
  private final String name;

  private static synchronized H5 lib() throws IOException {
    if (h5 == null) {
      try {
        H5 l = Native.load(LIBRARY, H5.class);
        if (l.H5open() < 0) throw new IOException("H5open failed");
        l.H5Eset_auto2(H5E_DEFAULT, null, null); // errors are reported by the checks below, not printed by libhdf5
        NativeLibrary nl = NativeLibrary.getInstance(LIBRARY);
        nativeDouble = nl.getGlobalVariableAddress("H5T_NATIVE_DOUBLE_g").getLong(0);
        nativeFloat = nl.getGlobalVariableAddress("H5T_NATIVE_FLOAT_g").getLong(0);
        nativeInt = nl.getGlobalVariableAddress("H5T_NATIVE_INT_g").getLong(0);
        nativeLong = nl.getGlobalVariableAddress("H5T_NATIVE_LLONG_g").getLong(0);
        cString = nl.getGlobalVariableAddress("H5T_C_S1_g").getLong(0);
        h5 = l;
      } catch (UnsatisfiedLinkError e) {
        throw new IOException("the HDF5 library " + LIBRARY + " is not installed (Debian package libhdf5-103-1): "
            + e.getMessage(), e);
      }
    }
    return h5;
  }

  Hdf5File(Path path) throws IOException {
    H5 l = lib();
    this.name = path.toString();
    this.file = check(l.H5Fcreate(name, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), "H5Fcreate", name);
  }

  /** The file's root group. */
  long root() {
    return file;
  }

  long group(long parent, String path) throws IOException {
    return check(h5.H5Gcreate2(parent, path, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "H5Gcreate2", path);
  }

  void closeGroup(long g) {
    h5.H5Gclose(g);
  }

  /** A scalar variable-length UTF-8 string dataset. */
  void stringDataset(long loc, String dsName, String value) throws IOException {
    strings(loc, dsName, new String[] {value}, true, false);
  }

  /** A 1-D variable-length UTF-8 string dataset. */
  void stringArrayDataset(long loc, String dsName, String[] values) throws IOException {
    strings(loc, dsName, values, false, false);
  }

  /** A scalar variable-length UTF-8 string attribute. */
  void stringAttribute(long loc, String attr, String value) throws IOException {
    strings(loc, attr, new String[] {value}, true, true);
  }

  /** A 1-D variable-length UTF-8 string attribute (e.g. a DynamicTable's {@code colnames}). */
  void stringArrayAttribute(long loc, String attr, String[] values) throws IOException {
    strings(loc, attr, values, false, true);
  }

  private void strings(long loc, String n, String[] values, boolean scalar, boolean attribute) throws IOException {
    long type = check(h5.H5Tcopy(cString), "H5Tcopy", n);
    long space = -1;
    try {
      check(h5.H5Tset_size(type, H5T_VARIABLE), "H5Tset_size", n);
      check(h5.H5Tset_cset(type, H5T_CSET_UTF8), "H5Tset_cset", n);
      space = scalar ? check(h5.H5Screate(H5S_SCALAR), "H5Screate", n)
          : check(h5.H5Screate_simple(1, new long[] {values.length}, null), "H5Screate_simple", n);
      StringArray buf = new StringArray(values, "UTF-8");
      if (attribute) {
        long a = check(h5.H5Acreate2(loc, n, type, space, H5P_DEFAULT, H5P_DEFAULT), "H5Acreate2", n);
        try {
          check(h5.H5Awrite(a, type, buf), "H5Awrite", n);
        } finally {
          h5.H5Aclose(a);
        }
      } else {
        long d = check(h5.H5Dcreate2(loc, n, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "H5Dcreate2", n);
        try {
          check(h5.H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf), "H5Dwrite", n);
        } finally {
          h5.H5Dclose(d);
        }
      }
    } finally {
      if (space >= 0) h5.H5Sclose(space);
      h5.H5Tclose(type);
    }
  }

  /** A scalar float64 attribute. */
  void doubleAttribute(long loc, String attr, double value) throws IOException {
    Memory m = new Memory(8);
    m.setDouble(0, value);
    scalarAttribute(loc, attr, nativeDouble, m);
  }

  /** A scalar int32 attribute. */
  void intAttribute(long loc, String attr, int value) throws IOException {
    Memory m = new Memory(4);
    m.setInt(0, value);
    scalarAttribute(loc, attr, nativeInt, m);
  }

  private void scalarAttribute(long loc, String attr, long type, Memory value) throws IOException {
    long space = check(h5.H5Screate(H5S_SCALAR), "H5Screate", attr);
    try {
      long a = check(h5.H5Acreate2(loc, attr, type, space, H5P_DEFAULT, H5P_DEFAULT), "H5Acreate2", attr);
      try {
        check(h5.H5Awrite(a, type, value), "H5Awrite", attr);
      } finally {
        h5.H5Aclose(a);
      }
    } finally {
      h5.H5Sclose(space);
    }
  }

  /** A float32 dataset of shape (rows, cols) (cols = 0: 1-D of rows), row-major; returns its id (close it). */
  long floatDataset(long loc, String dsName, float[] data, int rows, int cols) throws IOException {
    Memory m = new Memory(Math.max(4L, 4L * data.length));
    m.write(0, data, 0, data.length);
    return dataset(loc, dsName, nativeFloat, m, rows, cols);
  }

  /** A float64 dataset of shape (rows, cols) (cols = 0: 1-D of rows); returns its id (close it). */
  long doubleDataset(long loc, String dsName, double[] data, int rows, int cols) throws IOException {
    Memory m = new Memory(Math.max(8L, 8L * data.length));
    m.write(0, data, 0, data.length);
    return dataset(loc, dsName, nativeDouble, m, rows, cols);
  }

  /** A 1-D int64 dataset; returns its id (close it). */
  long longDataset(long loc, String dsName, long[] data) throws IOException {
    Memory m = new Memory(Math.max(8L, 8L * data.length));
    m.write(0, data, 0, data.length);
    return dataset(loc, dsName, nativeLong, m, data.length, 0);
  }

  private long dataset(long loc, String n, long type, Memory m, int rows, int cols) throws IOException {
    long[] dims = cols == 0 ? new long[] {rows} : new long[] {rows, cols};
    long space = check(h5.H5Screate_simple(dims.length, dims, null), "H5Screate_simple", n);
    try {
      long d = check(h5.H5Dcreate2(loc, n, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "H5Dcreate2", n);
      if (h5.H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, m) < 0) {
        h5.H5Dclose(d);
        throw new IOException(name + ": H5Dwrite failed for " + n);
      }
      return d;
    } finally {
      h5.H5Sclose(space);
    }
  }

  void closeDataset(long d) {
    h5.H5Dclose(d);
  }

  private long check(long id, String call, String what) throws IOException {
    if (id < 0) throw new IOException(name + ": " + call + " failed for " + what);
    return id;
  }

  @Override
  public void close() throws IOException {
    if (h5.H5Fclose(file) < 0) throw new IOException(name + ": H5Fclose failed");
  }
}

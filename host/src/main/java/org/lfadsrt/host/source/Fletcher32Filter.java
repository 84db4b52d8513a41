package org.lfadsrt.host.source;

import io.jhdf.exceptions.HdfFilterException;
import io.jhdf.filter.Filter;
import io.jhdf.filter.FilterManager;

/**
 * HDF5's Fletcher-32 checksum filter (id 3), replacing jhdf 0.9.4's, which neither verifies nor strips the 4-byte
 * checksum HDF5 appends to each chunk. Followed by deflate that went unnoticed (zlib stops at its stream's end); an
 * lzf chunk with the checksum still attached is decoded past its end ({@code Index -50 out of bounds}), so NWB files
 * written with {@code compression="lzf", fletcher32=True} could not be read. This one verifies the checksum as
 * libhdf5's {@code H5Z__filter_fletcher32} does (also accepting the byte-swapped form old libhdf5 wrote) and hands
 * the next filter the chunk without it.
 */
public final class Fletcher32Filter implements Filter {
  private static volatile boolean installed;

  /** Registers this filter with jhdf in place of its own (idempotent). */
  public static void install() {
    if (installed) return;
    synchronized (Fletcher32Filter.class) {
      if (!installed) {
        FilterManager.addFilter(new Fletcher32Filter());
        installed = true;
      }
    }
  }

  @Override
  public int getId() {
    return 3;
  }

  @Override
  public String getName() {
    return "fletcher32";
  }

  @Override
  public byte[] decode(byte[] data, int[] filterData) {
    if (data.length < 4) {
      throw new HdfFilterException("fletcher32: chunk of " + data.length + " bytes is shorter than its checksum");
    }
    int n = data.length - 4;
    long stored = (data[n] & 0xFFL) | (data[n + 1] & 0xFFL) << 8 | (data[n + 2] & 0xFFL) << 16 | (data[n + 3] & 0xFFL) << 24;
    long swapped = (data[n + 1] & 0xFFL) | (data[n] & 0xFFL) << 8 | (data[n + 3] & 0xFFL) << 16 | (data[n + 2] & 0xFFL) << 24;
    long sum = checksum(data, n);
    if (sum != stored && sum != swapped) {
      throw new HdfFilterException(String.format("fletcher32 checksum mismatch (stored %08x, computed %08x): the chunk "
          + "is corrupted", stored, sum));
    }
    return java.util.Arrays.copyOf(data, n);
  }

  /** libhdf5's H5_checksum_fletcher32 over {@code len} bytes (big-endian 16-bit words, 360-word blocks). */
  static long checksum(byte[] data, int len) {
    long sum1 = 0, sum2 = 0;
    int words = len / 2, i = 0;
    while (words > 0) {
      int block = Math.min(words, 360);
      words -= block;
      for (int k = 0; k < block; k++, i += 2) {
        sum1 += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
        sum2 += sum1;
      }
      sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
      sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
    }
    if ((len & 1) != 0) {
      sum1 += (data[i] & 0xFF) << 8;
      sum2 += sum1;
      sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
      sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
    }
    sum1 = (sum1 & 0xFFFF) + (sum1 >>> 16);
    sum2 = (sum2 & 0xFFFF) + (sum2 >>> 16);
    return (sum2 << 16) | sum1;
  }
}

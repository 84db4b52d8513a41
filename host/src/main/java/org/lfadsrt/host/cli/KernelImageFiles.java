package org.lfadsrt.host.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.lfadsrt.sim.contract.KernelContract;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.KernelImageException;
import org.lfadsrt.sim.io.NdArray;

/** CLI helpers for kernel-image files and spike arrays. */
final class KernelImageFiles {
  private KernelImageFiles() {}

  /** True when the file starts with the kernel-image magic ("LFKI"); false for anything else, or unreadable. */
  static boolean isKernelImage(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      byte[] b = in.readNBytes(4);
      int magic = b.length < 4 ? 0 : (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
      return magic == KernelContract.IMAGE_MAGIC;
    } catch (IOException e) {
      return false;
    }
  }

  static KernelImage read(Path p) throws InferCommand.InputError {
    try {
      return KernelImage.read(p);
    } catch (NoSuchFileException e) {
      throw new InferCommand.InputError("kernel image not found: " + p);
    } catch (IOException e) {
      throw new InferCommand.InputError("cannot read " + p + ": " + e.getMessage());
    } catch (KernelImageException e) {
      throw new InferCommand.InputError(p + ": " + e.getMessage());
    }
  }

  /** An integer (trials, T, N) array as int[trial][t][n]; the caller has checked dtype, shape and range. */
  static int[][][] trials(NdArray a) {
    int n0 = a.dim(0), n1 = a.dim(1), n2 = a.dim(2);
    long[] v = a.longData();
    int[][][] out = new int[n0][n1][n2];
    for (int i = 0; i < n0; i++)
      for (int t = 0; t < n1; t++)
        for (int c = 0; c < n2; c++) out[i][t][c] = (int) v[(i * n1 + t) * n2 + c];
    return out;
  }
}

package org.lfadsrt.host.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.lfadsrt.sim.contract.KernelContract;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.KernelImageException;

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
}

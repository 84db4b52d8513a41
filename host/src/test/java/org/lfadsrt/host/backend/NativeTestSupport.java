package org.lfadsrt.host.backend;

import org.junit.jupiter.api.Assumptions;

/** Skips native-backend tests, saying why, when liblfadsrt is not built (`make test` always builds it). */
final class NativeTestSupport {
  private NativeTestSupport() {}

  static void assumeLibrary() {
    Assumptions.assumeTrue(NativeBackend.libraryAvailable(), NativeBackend::libraryError);
  }

  static void assumeEmu() throws BackendException {
    assumeLibrary();
    Assumptions.assumeTrue(NativeBackend.libraryVersion().contains("emu"),
        "liblfadsrt was built without the emulated kernel (hdl/rtl/lfads_kernel.v missing at build time)");
  }
}

package org.lfadsrt.host.backend;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lfadsrt.sim.fixed.KernelImage;

/** The JNA binding itself: the missing-library message, and the C and Java views of the image format agreeing. */
class NativeLibraryTest {

  @Test
  void aMissingLibraryMessageSaysHowToBuildIt() {
    String m = LfadsNative.missingLibraryMessage(List.of(Path.of("/x/drivers/build/liblfadsrt.so")), "not found");
    assertTrue(m.contains("make -C drivers"), m);
    assertTrue(m.contains("/x/drivers/build/liblfadsrt.so"), m);
    assertTrue(m.contains("not found"), m);
  }

  /**
   * The library is looked for next to the code, not in the working directory: from host/target/classes (or the jar
   * in host/target) up to the repository root, whose drivers/build holds the library `make native` built.
   */
  @Test
  void theLibraryIsFoundRelativeToTheCodeNotTheWorkingDirectory() throws Exception {
    List<Path> beside = LfadsNative.besideTheCode();
    assertFalse(beside.isEmpty());
    for (Path p : beside) assertTrue(p.isAbsolute(), "candidate " + p + " depends on the working directory");
    Path codeAt = Path.of(LfadsNative.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path repoRoot = codeAt.getParent().getParent().getParent(); // host/target/classes -> the repository
    Path built = repoRoot.resolve("drivers").resolve("build").resolve("liblfadsrt.so");
    assertTrue(beside.contains(built), beside + " should contain " + built);
  }

  /** Images written by the Java quantizer pass the C driver's independent validator, and corruptions fail it. */
  @Test
  void javaImagesPassTheCValidator() throws Exception {
    NativeTestSupport.assumeLibrary();
    for (KernelImage image : new KernelImage[] {TestImages.image(TestImages.PLAIN, 71), TestImages.image(TestImages.CONTROLLER, 72)}) {
      byte[] bytes = image.toBytes();
      NativeBackend.validateImage(bytes);
      byte[] bad = bytes.clone();
      bad[2000] ^= 1;
      BackendException e = assertThrows(BackendException.class, () -> NativeBackend.validateImage(bad));
      assertEquals(BackendException.Kind.BAD_IMAGE, e.kind());
    }
  }

  @Test
  void theLibraryExportsItsVersionAndBackends() throws Exception {
    NativeTestSupport.assumeLibrary();
    String v = NativeBackend.libraryVersion();
    assertTrue(v.startsWith("liblfadsrt "), v);
    assertTrue(v.contains("backends:"), v);
  }
}

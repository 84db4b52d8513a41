package org.lfadsrt.sim.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed C header and Verilog include must be exactly what ContractGenerator produces. */
class ContractFilesTest {
  private static Path root() {
    return Path.of(System.getProperty("lfadsrt.root", "..")).toAbsolutePath().normalize();
  }

  @Test
  void cHeaderMatchesJavaContract() throws Exception {
    String committed = Files.readString(root().resolve(ContractGenerator.C_HEADER));
    assertEquals(ContractGenerator.cHeader(), committed,
        ContractGenerator.C_HEADER + " is stale: run `make contracts` and commit the result");
  }

  @Test
  void verilogIncludeMatchesJavaContract() throws Exception {
    String committed = Files.readString(root().resolve(ContractGenerator.VERILOG_INCLUDE));
    assertEquals(ContractGenerator.verilogInclude(), committed,
        ContractGenerator.VERILOG_INCLUDE + " is stale: run `make contracts` and commit the result");
  }

  @Test
  void sectionAndLayerNameListsMatchTheirCounts() {
    assertEquals(KernelContract.SECTION_COUNT, KernelContract.SECTION_NAMES.size());
    assertEquals(KernelContract.LAYER_COUNT, KernelContract.LAYER_NAMES.size());
    assertEquals(KernelContract.H_SECTION_TABLE
            + KernelContract.SECTION_COUNT * KernelContract.SECTION_ENTRY_WORDS <= KernelContract.IMAGE_HEADER_WORDS,
        true, "section table must fit in the header");
    assertEquals(true, KernelContract.H_ACC_FRAC_BASE + KernelContract.LAYER_COUNT <= KernelContract.H_SECTION_TABLE,
        "accumulator-fraction words must not overlap the section table");
  }
}

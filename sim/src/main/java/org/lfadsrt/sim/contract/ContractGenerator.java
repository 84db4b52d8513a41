package org.lfadsrt.sim.contract;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the C and Verilog views of {@link KernelContract}. Run from the repository root:
 * {@code java -cp sim/target/classes org.lfadsrt.sim.contract.ContractGenerator .} (or {@code make contracts}).
 * The generated files are committed so the RTL and the driver build without Java; ContractFilesTest
 * fails when they drift from this class.
 */
public final class ContractGenerator {
  public static final String C_HEADER = "drivers/include/lfads_contract.h";
  public static final String VERILOG_INCLUDE = "hdl/rtl/lfads_contract.vh";

  private ContractGenerator() {}

  /** Every {@code public static final int} of KernelContract, in declaration order. */
  static List<Field> constants() {
    List<Field> out = new ArrayList<>();
    for (Field f : KernelContract.class.getDeclaredFields()) {
      int m = f.getModifiers();
      if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == int.class) {
        out.add(f);
      }
    }
    return out;
  }

  private static int value(Field f) {
    try {
      return f.getInt(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String literalC(int v) {
    return (v < 0 || v > 4096) ? String.format("0x%08XU", v) : Integer.toString(v);
  }

  private static String literalV(int v) {
    return (v < 0 || v > 4096) ? String.format("32'h%08X", v) : Integer.toString(v);
  }

  public static String cHeader() {
    StringBuilder b = new StringBuilder();
    b.append("/* SPDX-License-Identifier: MIT */\n")
        .append("/* GENERATED from sim/src/main/java/org/lfadsrt/sim/contract/KernelContract.java\n")
        .append(" * by ContractGenerator (make contracts). Do not edit: change the Java source and regenerate. */\n")
        .append("#ifndef LFADS_CONTRACT_H\n#define LFADS_CONTRACT_H\n\n");
    for (Field f : constants()) {
      b.append("#define LFADS_").append(f.getName()).append(' ').append(literalC(value(f))).append('\n');
    }
    b.append("\nstatic const char *const LFADS_SECTION_NAMES[LFADS_SECTION_COUNT] = {\n");
    for (String s : KernelContract.SECTION_NAMES) b.append("  \"").append(s).append("\",\n");
    b.append("};\n\n#endif /* LFADS_CONTRACT_H */\n");
    return b.toString();
  }

  public static String verilogInclude() {
    StringBuilder b = new StringBuilder();
    b.append("// SPDX-License-Identifier: MIT\n")
        .append("// GENERATED from sim/src/main/java/org/lfadsrt/sim/contract/KernelContract.java\n")
        .append("// by ContractGenerator (make contracts). Do not edit: change the Java source and regenerate.\n")
        .append("// Include inside a module body: localparams only.\n")
        // every module includes the whole contract and uses a few of its constants: keep
        // `verilator --lint-only -Wall` (make -C hdl lint) quiet about the rest, for this file only
        .append("// verilator lint_off UNUSEDPARAM\n");
    for (Field f : constants()) {
      b.append("localparam integer LFADS_").append(f.getName()).append(" = ").append(literalV(value(f)))
          .append(";\n");
    }
    for (int i = 0; i < KernelContract.SECTION_NAMES.size(); i++) {
      b.append("// section ").append(i).append(": ").append(KernelContract.SECTION_NAMES.get(i)).append('\n');
    }
    b.append("// verilator lint_on UNUSEDPARAM\n");
    return b.toString();
  }

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : ".");
    write(root.resolve(C_HEADER), cHeader());
    write(root.resolve(VERILOG_INCLUDE), verilogInclude());
  }

  private static void write(Path p, String text) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, StandardCharsets.UTF_8);
    System.out.println("wrote " + p);
  }
}

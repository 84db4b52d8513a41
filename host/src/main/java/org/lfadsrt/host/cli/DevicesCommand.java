package org.lfadsrt.host.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.lfadsrt.host.backend.BackendException;
import org.lfadsrt.host.backend.NativeBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code devices}: what {@code --backend} can use here. The Java backends are always there; {@code emu} is
 * probed by opening the emulated kernel and reading its identity registers; {@code xrt} lists the cards XRT
 * sees, or XRT's reason for seeing none.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
    description = "List the inference backends available on this machine (software, emu, XRT cards).")
public final class DevicesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String row = "%-9s %-13s %s%n";
    out.printf(row, "BACKEND", "STATUS", "DETAIL");
    out.printf(row, "float", "available", "Java double-precision reference model");
    out.printf(row, "software", "available", "Java bit-accurate fixed-point model of the kernel image");
    if (!NativeBackend.libraryAvailable()) {
      String why = NativeBackend.libraryError();
      out.printf(row, "emu", "unavailable", why);
      out.printf(row, "xrt", "unavailable", why);
      out.flush();
      return 0;
    }
    try {
      NativeBackend.Probe p = NativeBackend.probeDevice("emu:");
      out.printf(row, "emu", "available", "Verilated lfads_kernel, " + p.identity() + "; " + p.description()
          + "; reading the identity cost " + p.identityCost().regReads() + " register reads");
      out.printf(row, "", "", "per call the driver counts register reads/writes, DMA syncs and bytes "
          + "(lfads_counters; bench reports them per bin)");
    } catch (BackendException e) {
      out.printf(row, "emu", "unavailable", e.getMessage());
    }
    try {
      int cards = NativeBackend.xrtDeviceCount();
      if (cards == 0) out.printf(row, "xrt", "no card", "XRT sees no Alveo card");
      for (int i = 0; i < cards; i++) out.printf(row, "xrt", "card " + i, "--backend xrt --xrt-device " + i + " --xclbin F.xclbin");
    } catch (BackendException e) {
      out.printf(row, "xrt", "unavailable", e.getMessage());
    }
    out.flush();
    return 0;
  }
}

package org.lfadsrt.host.backend;

import java.util.List;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.RandomModels;

/**
 * Opens a backend by its {@code --backend} name: {@code float} (double reference), {@code software}
 * (bit-accurate Java model of the kernel image), {@code emu} (Verilated kernel through the native driver),
 * {@code xrt} (Alveo card through the native driver). Add new backends here.
 */
public final class Backends {
  private Backends() {}

  /** Names accepted by {@link #open}. */
  public static List<String> names() {
    return List.of(FloatBackend.NAME, SoftwareBackend.NAME, EmuBackend.NAME, XrtBackend.NAME);
  }

  /** The backend {@code run} uses when none is given. */
  public static String defaultName() {
    return FloatBackend.NAME;
  }

  public static InferenceBackend open(String name, LfadsModel model) throws BackendException {
    return open(name, model, BackendConfig.defaults());
  }

  public static InferenceBackend open(String name, LfadsModel model, BackendConfig config) throws BackendException {
    switch (name) {
      case FloatBackend.NAME:
        return new FloatBackend(model);
      case SoftwareBackend.NAME:
        return new SoftwareBackend(imageFor(model, config));
      case EmuBackend.NAME: {
        KernelImage image = imageFor(model, config);
        return withFailover(new EmuBackend(image, config.emuOptions(), config.timeoutMs()), image, config);
      }
      case XrtBackend.NAME: {
        KernelImage image = imageFor(model, config);
        return withFailover(new XrtBackend(config.xrtDevice(), config.xclbin(), image, config.timeoutMs()), image, config);
      }
      default:
        throw new BackendException(BackendException.Kind.NOT_AVAILABLE,
            "unknown backend '" + name + "' (available: " + String.join(", ", names()) + ")");
    }
  }

  /**
   * The kernel image a fixed-point backend runs: the configured one, or the float model quantized to
   * {@code config.bits()} with calibration on seeded synthetic Poisson spikes (32 trials, 0.3 spikes/bin
   * mean) when none is given. A trained model should be quantized on real data ({@code quantize} command)
   * and passed as an image.
   */
  public static KernelImage imageFor(LfadsModel model, BackendConfig config) throws BackendException {
    KernelImage image = config.image();
    if (image == null) {
      image = Quantizer.quantize(model, RandomModels.poissonSpikes(model.config(), 32, 0.3, 1L), config.bits());
    }
    var c = model.config();
    if (image.nIn() != c.encodDataDim() || image.tEnc() != c.encodSeqLen() || image.tRec() != c.reconSeqLen()
        || image.facDim() != c.facDim() || image.nOut() != c.readoutDim()) {
      throw new BackendException(BackendException.Kind.BAD_IMAGE, "kernel image " + image.nIn() + " in, "
          + image.tEnc() + "/" + image.tRec() + " bins, " + image.facDim() + " factors, " + image.nOut()
          + " out does not match the model's configuration " + c);
    }
    return image;
  }

  private static InferenceBackend withFailover(InferenceBackend device, KernelImage image, BackendConfig config) {
    if (!config.failover()) return device;
    return new FailoverBackend(device, new SoftwareBackend(image), config.failoverListener());
  }
}

package org.lfadsrt.host.backend;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lfadsrt.sim.fixed.FidelityReport;
import org.lfadsrt.sim.fixed.KernelImage;
import org.lfadsrt.sim.fixed.Quantizer;
import org.lfadsrt.sim.model.LfadsModel;
import org.lfadsrt.sim.model.Reconstruction;
import org.lfadsrt.sim.model.RandomModels;

/**
 * The backends {@code --backend NAME} can select: {@code float} (double reference), {@code software}
 * (bit-accurate Java model of the kernel image; {@code fixed} is another name for it, see {@link #canonical}),
 * {@code emu} (Verilated kernel through the native driver), {@code xrt} (Alveo card through the native driver),
 * plus any added with {@link #register}.
 * {@link #open(String, LfadsModel, BackendConfig)} takes the device options; {@link #create} uses defaults.
 */
public final class Backends {

  /** Creates a backend for a loaded model. */
  @FunctionalInterface
  public interface Factory {
    InferenceBackend create(LfadsModel model) throws BackendException;
  }

  private static final List<String> BUILT_IN =
      List.of(FloatBackend.NAME, SoftwareBackend.NAME, EmuBackend.NAME, XrtBackend.NAME);
  /** The built-in backends that run a kernel image. */
  public static final List<String> IMAGE_BACKENDS = List.of(SoftwareBackend.NAME, EmuBackend.NAME, XrtBackend.NAME);
  private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();
  /** Other names accepted for a built-in backend: one backend, one name it reports, old names still work. */
  private static final Map<String, String> ALIASES = Map.of(SoftwareBackend.ALIAS, SoftwareBackend.NAME);

  private Backends() {}

  /** Adds a backend by name (not one of the built-in names). */
  public static synchronized void register(String name, Factory factory) {
    if (BUILT_IN.contains(name) || ALIASES.containsKey(name) || FACTORIES.putIfAbsent(name, factory) != null) {
      throw new IllegalStateException("backend '" + name + "' registered twice");
    }
  }

  /** Names in registration order (for help texts and error messages). */
  public static synchronized Set<String> names() {
    Set<String> all = new LinkedHashSet<>(BUILT_IN);
    all.addAll(FACTORIES.keySet());
    return Collections.unmodifiableSet(all);
  }

  /** The backend's own name for {@code name}: an alias ({@code fixed}) becomes the name it stands for ({@code software}). */
  public static String canonical(String name) {
    return ALIASES.getOrDefault(name, name);
  }

  /** The backend {@code run} uses when none is given. */
  public static String defaultName() {
    return FloatBackend.NAME;
  }

  /** Creates backend {@code name} with default options; an unknown name is an error listing the known ones. */
  public static InferenceBackend create(String name, LfadsModel model) throws BackendException {
    return open(name, model, BackendConfig.defaults());
  }

  public static InferenceBackend open(String name, LfadsModel model) throws BackendException {
    return open(name, model, BackendConfig.defaults());
  }

  /**
   * Opens backend {@code name} on {@code model}; the backend reports the model's reconstruction
   * ({@link InferenceBackend#reconstruction()}).
   */
  public static InferenceBackend open(String name, LfadsModel model, BackendConfig config) throws BackendException {
    name = canonical(name);
    Reconstruction r = model.reconstruction();
    switch (name) {
      case FloatBackend.NAME:
        return ReconstructingBackend.wrap(new FloatBackend(model), r);
      case SoftwareBackend.NAME:
        return ReconstructingBackend.wrap(new SoftwareBackend(imageFor(model, config)), r);
      case EmuBackend.NAME: {
        KernelImage image = imageFor(model, config);
        return withFailover(ReconstructingBackend.wrap(new EmuBackend(image, config.emuOptions(), config.timeoutMs()), r),
            image, config);
      }
      case XrtBackend.NAME: {
        KernelImage image = imageFor(model, config);
        return withFailover(ReconstructingBackend.wrap(
            new XrtBackend(config.xrtDevice(), config.xclbin(), image, config.timeoutMs()), r), image, config);
      }
      default:
        Factory f;
        synchronized (Backends.class) {
          f = FACTORIES.get(name);
        }
        if (f == null) {
          throw new BackendException(BackendException.Kind.NOT_AVAILABLE,
              "unknown backend '" + name + "' (available: " + String.join(", ", names()) + ")");
        }
        return ReconstructingBackend.wrap(f.create(model), r);
    }
  }

  /** {@link #openImage(String, KernelImage, BackendConfig)} reporting {@code r} (from the image's sidecar), or Poisson when null. */
  public static InferenceBackend openImage(String name, KernelImage image, BackendConfig config, Reconstruction r)
      throws BackendException {
    if (r == null) return openImage(name, image, config);
    switch (name) {
      case SoftwareBackend.NAME:
        return ReconstructingBackend.wrap(new SoftwareBackend(image), r);
      case EmuBackend.NAME:
        return withFailover(ReconstructingBackend.wrap(new EmuBackend(image, config.emuOptions(), config.timeoutMs()), r),
            image, config);
      case XrtBackend.NAME:
        return withFailover(ReconstructingBackend.wrap(
            new XrtBackend(config.xrtDevice(), config.xclbin(), image, config.timeoutMs()), r), image, config);
      default:
        return openImage(name, image, config);
    }
  }

  /** Opens one of {@link #IMAGE_BACKENDS} on a kernel image. */
  public static InferenceBackend openImage(String name, KernelImage image, BackendConfig config) throws BackendException {
    name = canonical(name);
    switch (name) {
      case SoftwareBackend.NAME:
        return new SoftwareBackend(image);
      case EmuBackend.NAME:
        return withFailover(new EmuBackend(image, config.emuOptions(), config.timeoutMs()), image, config);
      case XrtBackend.NAME:
        return withFailover(new XrtBackend(config.xrtDevice(), config.xclbin(), image, config.timeoutMs()), image, config);
      default:
        throw new BackendException(BackendException.Kind.NOT_AVAILABLE,
            "backend '" + name + "' does not run kernel images (those that do: " + String.join(", ", IMAGE_BACKENDS) + ")");
    }
  }

  /**
   * The kernel image a fixed-point backend runs: the configured one, or the float model quantized to
   * {@code config.bits()} with calibration on seeded synthetic Poisson spikes (32 trials, 0.3 spikes/bin
   * mean) when none is given. A trained model should be quantized on its real data and passed as an image.
   */
  public static KernelImage imageFor(LfadsModel model, BackendConfig config) throws BackendException {
    KernelImage image = config.image();
    if (image == null) {
      image = Quantizer.quantize(model, RandomModels.poissonSpikes(model.config(), 32, 0.3, 1L), config.bits());
    }
    if (!FloatBackend.shapeOf(model.config()).equals(
        new ModelShape(image.nIn(), image.tEnc(), image.tRec(), image.facDim(), image.nOut()))) {
      throw new BackendException(BackendException.Kind.BAD_IMAGE, "kernel image (" + image.nIn() + " in, "
          + image.tEnc() + "/" + image.tRec() + " bins, " + image.facDim() + " factors, " + image.nOut()
          + " out) does not match the model's configuration " + model.config());
    }
    return image;
  }

  /**
   * The quantizer's fidelity estimate for the image backend {@code name} runs when opened on {@code model} with
   * {@code config}: fixed vs float on the same synthetic calibration trials the image was quantized on. Null for
   * the float backend, unknown backends, and a configured image (its sidecar holds its estimate).
   */
  public static FidelityReport fidelityOf(String name, LfadsModel model, BackendConfig config) throws BackendException {
    int[][][] trials;
    KernelImage image;
    name = canonical(name);
    if (IMAGE_BACKENDS.contains(name) && config.image() == null) {
      trials = RandomModels.poissonSpikes(model.config(), 32, 0.3, 1L);
      image = imageFor(model, config);
    } else {
      return null;
    }
    return FidelityReport.compare(model, image, trials);
  }

  private static InferenceBackend withFailover(InferenceBackend device, KernelImage image, BackendConfig config) {
    if (!config.failover()) return device;
    return new FailoverBackend(device, new SoftwareBackend(image), config.failoverListener());
  }
}

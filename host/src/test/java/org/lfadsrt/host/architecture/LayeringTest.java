package org.lfadsrt.host.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency picture of the Java code, stated once and checked on the compiled classes (main code only).
 *
 * <pre>
 *   cli                              the command line (picocli commands, option parsing)
 *    |-> latency, reliability, lab   applications beside cli: the live latency sweep, the soak and fuzzers,
 *                                    the lab integrations (BRAND node, acquisition sources, rig outputs)
 *    |-> live                        wires a running system: LiveSystem, LiveControl
 *         |-> server, record, calibration
 *              |-> pipeline          the hot path: window, backend call, results
 *                   |-> backend, source, decoder, metrics
 *                        |-> sim (the other module: the models and the fixed-point kernel model)
 * </pre>
 *
 * Arrows point down only: nothing below depends on cli or live, and there is no cycle between any two
 * packages. sim never depends on host. Only backend reaches the project's native driver (JNA); the one other
 * JNA user is record.Hdf5File, which writes NWB through the system's libhdf5.
 */
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.lfadsrt.host", "org.lfadsrt.sim");
  }

  @Test
  void everyLayerDependsOnlyOnTheLayersBelowIt() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("cli").definedBy("org.lfadsrt.host.cli..")
        .layer("applications").definedBy("org.lfadsrt.host.latency..", "org.lfadsrt.host.reliability..",
            "org.lfadsrt.host.lab..")
        .layer("live").definedBy("org.lfadsrt.host.live..")
        .layer("services").definedBy("org.lfadsrt.host.server..", "org.lfadsrt.host.record..",
            "org.lfadsrt.host.calibration..")
        .layer("pipeline").definedBy("org.lfadsrt.host.pipeline..")
        .layer("foundation").definedBy("org.lfadsrt.host.backend..", "org.lfadsrt.host.source..",
            "org.lfadsrt.host.decoder..", "org.lfadsrt.host.metrics..")
        .layer("sim").definedBy("org.lfadsrt.sim..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("applications").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("live").mayOnlyBeAccessedByLayers("cli", "applications")
        .whereLayer("services").mayOnlyBeAccessedByLayers("cli", "applications", "live")
        .whereLayer("pipeline").mayOnlyBeAccessedByLayers("cli", "applications", "live", "services")
        .whereLayer("foundation").mayOnlyBeAccessedByLayers("cli", "applications", "live", "services", "pipeline")
        .whereLayer("sim").mayOnlyBeAccessedByLayers("cli", "applications", "live", "services", "pipeline", "foundation")
        .check(classes);
  }

  @Test
  void theApplicationsBesideCliDoNotDependOnEachOther() {
    noClasses().that().resideInAPackage("org.lfadsrt.host.latency..")
        .should().dependOnClassesThat().resideInAPackage("org.lfadsrt.host.reliability..").check(classes);
    noClasses().that().resideInAPackage("org.lfadsrt.host.reliability..")
        .should().dependOnClassesThat().resideInAPackage("org.lfadsrt.host.latency..").check(classes);
  }

  @Test
  void noCycleBetweenHostPackages() {
    slices().matching("org.lfadsrt.host.(*)..").should().beFreeOfCycles()
        .check(classes);
  }

  @Test
  void noCycleBetweenSimPackages() {
    slices().matching("org.lfadsrt.sim.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void simNeverDependsOnHost() {
    noClasses().that().resideInAPackage("org.lfadsrt.sim..")
        .should().dependOnClassesThat().resideInAPackage("org.lfadsrt.host..").check(classes);
  }

  @Test
  void onlyTheBackendPackageReachesNativeCode() {
    noClasses().that().resideInAPackage("org.lfadsrt.host..")
        .and(DescribedPredicate.not(resideInAnyPackage("org.lfadsrt.host.backend..")))
        .and(DescribedPredicate.not(nameMatching("org\\.lfadsrt\\.host\\.record\\.Hdf5File(\\$.*)?")))
        .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
        .check(classes);
  }

  @Test
  void theRulesSeeTheCode() {
    // a rule over an empty import passes vacuously: make sure the packages named above are really there
    for (String p : new String[] {"cli", "latency", "reliability", "lab", "live", "server", "record", "calibration", "pipeline",
        "backend", "source", "decoder", "metrics"}) {
      org.junit.jupiter.api.Assertions.assertTrue(classes.containPackage("org.lfadsrt.host." + p), p);
    }
    org.junit.jupiter.api.Assertions.assertTrue(classes.containPackage("org.lfadsrt.sim.model"));
  }
}

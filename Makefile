# lfads-rt top-level build. `make run` = live demo on the embedded default; `make test` = every test.
# Sub-builds: hdl/ (RTL benches, Verilator model, Yosys), drivers/ (native library for JNA), Maven (sim, host).
SHELL := /bin/bash
MVN   ?= mvn -B -q -Dstyle.color=never
JAR   := host/target/lfads-rt.jar
HAVE_HDL     := $(wildcard hdl/Makefile)
HAVE_DRIVERS := $(wildcard drivers/Makefile)

.PHONY: all setup build native jar run test test-hdl test-drivers test-java test-python cosim soak bench synth contracts clean help

all: build

help:
	@echo "make run      build, then start the live demo (bundled model, synthetic source, software backend)"
	@echo "make test     build everything and run every test (what CI runs)"
	@echo "make cosim    full RTL-vs-Java co-simulation (>= 1000 trials, >= 20 random models)"
	@echo "make bench    latency benchmark report (reports/bench-*/report.md)"
	@echo "make synth    Yosys resource estimate for UltraScale+ (the whole kernel, flat; hdl SYNTH_CFG=...)"
	@echo "make soak     long reliability soak (not part of make test)"

setup:
	@scripts/setup.sh test

# Native library (XRT + Verilator emulation backends) used by the host through JNA.
native: setup
ifneq ($(HAVE_DRIVERS),)
	$(MAKE) -C drivers
endif

jar: native
	$(MVN) -DskipTests install

build: jar

run: build
	java -jar $(JAR) run

test-hdl: setup
ifneq ($(HAVE_HDL),)
	$(MAKE) -C hdl test
endif

test-java: native
	$(MVN) install

# C unit tests of the native driver (core, image checks, XRT no-card path, emulation harness).
test-drivers: native
ifneq ($(HAVE_DRIVERS),)
	$(MAKE) -C drivers test
endif

test-python: jar
	@if [ -d clients/python/tests ]; then /usr/bin/python3 -m unittest discover -s clients/python/tests -v; fi
	/usr/bin/python3 -m unittest discover -s sim/python -p 'test_*.py'

test: test-hdl test-drivers test-java test-python
	@echo "make test: all suites passed (hdl benches, driver C tests, Java, Python)"
	@scripts/test-summary.sh

cosim: build
	$(MAKE) -C hdl cosim-harnesses
	java -jar $(JAR) cosim --harness-dir hdl/build --random-models 20 --trials 50 \
	  --model classpath:/org/lfadsrt/sim/models/lorenz-demo.npz \
	  --model sim/src/test/resources/golden/paper/model.npz --model sim/src/test/resources/golden/mc_maze/model.npz

soak: build
	java -jar $(JAR) soak --bins 10000000

bench: build
	@scripts/setup.sh bench
	java -jar $(JAR) bench

synth: setup
	$(MAKE) -C hdl synth

clean:
	$(MVN) clean || true
ifneq ($(HAVE_HDL),)
	$(MAKE) -C hdl clean
endif
ifneq ($(HAVE_DRIVERS),)
	$(MAKE) -C drivers clean
endif

# Regenerate the C and Verilog views of the kernel contract from KernelContract.java.
contracts:
	$(MVN) -pl sim -DskipTests compile
	java -cp sim/target/classes org.lfadsrt.sim.contract.ContractGenerator .

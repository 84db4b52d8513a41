/**
 * The live latency sweep behind the {@code bench} command: the whole live system (paced source, pipeline, backend,
 * rig server) against loopback clients, with machine-floor and compute baselines measured in the same run, written
 * up as a report. Named apart from the JMH micro-benchmarks in the {@code bench/} Maven module.
 */
package org.lfadsrt.host.latency;

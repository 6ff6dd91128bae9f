/**
 * The benchmarks of ../shared/BENCHMARK.md. Each prints one JSON document on stdout
 * (logs go to stderr) with what it measured on this machine.
 */
package io.tracer.bench;

package io.tracer.serve;

/**
 * One loaded routing stage.
 *
 * @param gate      null for the global family, which accepts every row
 * @param threshold the manifest's stage threshold (for an RSB first stage, the cascade threshold)
 */
record PortableStage(int number, PortableSurrogate surrogate, Gate gate, double threshold) {}

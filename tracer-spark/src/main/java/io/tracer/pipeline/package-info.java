/**
 * The pipeline families (Global, L2D, RSB). Each turns the surrogates and gates into a
 * scored policy: one accept score and one agree flag per row, on the selection and the
 * calibration splits, so that one threshold rule and one certification serve all families.
 * The choice among families happens here, on the selection split only.
 */
package io.tracer.pipeline;

/**
 * Routing new traffic with a policy: for each input, the surrogate's answer when a stage
 * accepts it, or a deferral to the teacher with the reason.
 */
package io.tracer.route;

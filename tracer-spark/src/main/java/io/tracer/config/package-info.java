/**
 * The job configuration, read in one place. conf/default.conf (bundled as
 * {@code tracer/default.conf}) defines every key with its default, and is the only place defaults
 * live. {@link io.tracer.config.ConfigLoader} stacks the sources (command-line flags, {@code -D}
 * overrides, the {@code --conf} file, the defaults), {@link io.tracer.config.TracerConfig#from}
 * reads every key into the immutable, validated {@link io.tracer.config.TracerConfig} record
 * tree, and {@link io.tracer.config.ConfigKeys} spells each key once for the code that must name
 * one (flag-to-key mappings, error messages). Nothing outside this package reads HOCON: it takes
 * the records, {@link io.tracer.config.TracerConfig#render()} for the log and the runs table, and
 * {@link io.tracer.config.TracerConfig#with} for a configuration derived with overrides.
 */
package io.tracer.config;

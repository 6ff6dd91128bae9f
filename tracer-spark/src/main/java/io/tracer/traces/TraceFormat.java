package io.tracer.traces;

import io.tracer.BadInputException;

import java.util.Locale;

/** The storage formats a trace table can come in. */
public enum TraceFormat {
    JSONL, CSV, PARQUET, DELTA, TABLE;

    /** Parses a configured format; {@code auto} is resolved elsewhere and is not a format. */
    public static TraceFormat parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "jsonl", "json", "ndjson" -> JSONL;
            case "csv" -> CSV;
            case "parquet" -> PARQUET;
            case "delta" -> DELTA;
            case "table" -> TABLE;
            default -> throw new BadInputException("trace format " + name
                    + " is not one of auto, jsonl, csv, parquet, delta, table");
        };
    }

    /** The format a file name implies (compression suffixes ignored), or null when it implies none. */
    static TraceFormat fromFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String codec : new String[] {".gz", ".bz2", ".zst", ".lz4", ".snappy", ".deflate"}) {
            if (n.endsWith(codec) && !n.endsWith(".parquet" + codec)) {
                n = n.substring(0, n.length() - codec.length());
            }
        }
        if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
            return JSONL;
        }
        if (n.endsWith(".csv")) {
            return CSV;
        }
        if (n.endsWith(".parquet")) {
            return PARQUET;
        }
        return null;
    }
}

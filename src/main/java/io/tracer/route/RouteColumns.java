package io.tracer.route;

/** Columns a routed row carries, as written to the routing output table. */
public final class RouteColumns {
    private RouteColumns() {}

    public static final String DECISION = "decision";
    public static final String HANDLED = "handled";
    public static final String DEFERRED = "deferred";
    /** The surrogate's label when handled, else null. */
    public static final String SURROGATE_LABEL = "surrogate_label";
    /** The policy's accept score (for RSB the cascade score). */
    public static final String SCORE = "accept_score";
    /** 1 or 2 for the stage that handled the row, 0 when deferred. */
    public static final String STAGE = "stage";
    /** Why a row was deferred, null when handled. */
    public static final String REASON = "reason";
}

package io.tracer;

/** Error text for the one-line messages users read (exit 2 and retry warnings). */
public final class Messages {
    private Messages() {}

    /**
     * The first line of {@code e}'s message (its class name when it has none): Spark's and native
     * libraries' messages may carry a plan or a whole stack after it.
     */
    public static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

package io.tracer.serve;

/**
 * Routes blocks of rows with one {@link PolicyKernel}: fill {@link #input()}, call
 * {@link #route()}, read the {@link RoutedBlock}, clear the input, repeat. Holds the block, the
 * decisions and the scratch arrays, all reused from block to block, so it belongs to one thread
 * (a Spark task, a service thread); the kernel itself is shared.
 */
public final class BlockRouter {
    private final PolicyKernel kernel;
    private final EmbeddingBlock input;
    private final RoutedBlock output;
    private final Workspace workspace = new Workspace();

    BlockRouter(PolicyKernel kernel, EmbeddingBlock input, RoutedBlock output) {
        this.kernel = kernel;
        this.input = input;
        this.output = output;
    }

    public EmbeddingBlock input() {
        return input;
    }

    /** Routes the rows in {@link #input()}; the result is valid until the next call. */
    public RoutedBlock route() {
        kernel.route(input, workspace, output);
        return output;
    }

    public PolicyKernel kernel() {
        return kernel;
    }
}

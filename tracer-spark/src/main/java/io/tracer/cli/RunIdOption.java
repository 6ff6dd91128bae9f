package io.tracer.cli;

import io.tracer.BadInputException;
import io.tracer.RunId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --run-id}: the id of this run, a new one when not given. */
public final class RunIdOption {
    @Option(names = "--run-id", paramLabel = "ID", converter = Converter.class,
            description = "Run id (default: UTC time + random suffix), written on every row of the run. "
                    + "Re-running an id replaces its metric-table rows.")
    RunId runId;

    /** The given id, or a new one (the same for every call on this instance). */
    synchronized RunId orNew() {
        if (runId == null) {
            runId = RunId.newId();
        }
        return runId;
    }

    /** Parses a run id; an invalid one is a usage error (exit 2) naming what is wrong. */
    static final class Converter implements ITypeConverter<RunId> {
        @Override
        public RunId convert(String value) {
            try {
                return RunId.of(value);
            } catch (BadInputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}

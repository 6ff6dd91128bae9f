package io.tracer.fit;

import io.tracer.embed.EncoderInfo;
import io.tracer.zoo.LabelIndex;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.Optional;

/**
 * The split stage's record: the prepared rows of a fit, validated, embedded, split, indexed.
 * {@code train} carries CV folds. Nothing downstream of the split reads calibration rows except
 * certification and reporting. {@code rows} says where every row read went; {@code tracesVersion}
 * is the Delta version of the traces read, when they were a Delta table.
 */
public record FitData(FitRequest request, EncoderInfo encoder, LabelIndex labels, Dataset<Row> train,
                      Dataset<Row> selection, Dataset<Row> calibration, RowAccounting rows,
                      Optional<Long> tracesVersion) {
    public long trainRows() {
        return rows.train();
    }

    public long selectionRows() {
        return rows.selection();
    }

    public long calibrationRows() {
        return rows.calibration();
    }

    public long readRows() {
        return rows.read();
    }

    public long validRows() {
        return rows.valid();
    }
}

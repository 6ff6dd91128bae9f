package io.tracer.zoo;

import io.tracer.BadInputException;
import io.tracer.Columns;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * The run's label space in one stable order: the distinct teacher labels sorted by Java
 * {@link String#compareTo} (UTF-16 code units, which orders like UTF-8 bytes outside surrogate
 * pairs). A label's index is its position in that list; models predict over all of it.
 */
public record LabelIndex(List<String> labels) {
    public LabelIndex {
        if (labels.isEmpty()) {
            throw new BadInputException("label index: no teacher labels (column " + Columns.TEACHER + ")");
        }
        if (labels.stream().anyMatch(java.util.Objects::isNull)) {
            throw new BadInputException("label index: null label in column " + Columns.TEACHER);
        }
        List<String> sorted = new ArrayList<>(labels);
        Collections.sort(sorted);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).equals(sorted.get(i - 1))) {
                throw new BadInputException("label index: duplicate label " + sorted.get(i));
            }
        }
        labels = List.copyOf(sorted);
    }

    /** Builds the index from the distinct teacher labels of {@code rows} (a small aggregate). */
    public static LabelIndex fromTeacher(Dataset<Row> rows) {
        List<Row> distinct = rows.select(col(Columns.TEACHER)).where(col(Columns.TEACHER).isNotNull())
                .distinct().collectAsList();
        List<String> labels = new ArrayList<>(distinct.size());
        for (Row r : distinct) {
            labels.add(r.getString(0));
        }
        return new LabelIndex(labels);
    }

    public int size() {
        return labels.size();
    }

    /** The index of {@code label}, or -1 when it is not in the label space. */
    public int indexOf(String label) {
        int i = Collections.binarySearch(labels, label);
        return i >= 0 ? i : -1;
    }

    public String label(int index) {
        return labels.get(index);
    }

    /** Label to index, for callers that look up many labels on the driver. */
    public Map<String, Integer> asMap() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            m.put(labels.get(i), i);
        }
        return m;
    }

    /**
     * ML attribute metadata for the label column: a nominal attribute over the whole label space,
     * so every MLlib classifier sizes its output to K even when a fold lacks some label.
     */
    public Metadata labelMetadata() {
        return NominalAttribute.defaultAttr().withName(Columns.LABEL_INDEX)
                .withValues(labels.toArray(new String[0])).toMetadata();
    }

    /**
     * Adds {@link Columns#LABEL_INDEX} (double) from {@link Columns#TEACHER} with the built-in
     * {@code array_position} over the label list (no join, no UDF). A teacher label outside the
     * index gets null: such a row can never agree, and training refuses it by name.
     */
    public Dataset<Row> withLabelIndex(Dataset<Row> rows) {
        Column pos = array_position(lit(labels.toArray(new String[0])), col(Columns.TEACHER));
        Column index = when(pos.gt(0), pos.minus(1).cast("double")).otherwise(lit(null).cast("double"));
        return rows.withColumn(Columns.LABEL_INDEX, index.as(Columns.LABEL_INDEX, labelMetadata()));
    }

    /** Re-attaches the label metadata to an existing {@link Columns#LABEL_INDEX} column. */
    public Dataset<Row> withLabelMetadata(Dataset<Row> rows) {
        return rows.withColumn(Columns.LABEL_INDEX,
                col(Columns.LABEL_INDEX).cast("double").as(Columns.LABEL_INDEX, labelMetadata()));
    }
}

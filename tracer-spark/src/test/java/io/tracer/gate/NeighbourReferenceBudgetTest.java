package io.tracer.gate;

import io.tracer.BadInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reference too large for the driver and the broadcast is refused before anything is collected. */
class NeighbourReferenceBudgetTest {
    @Test
    void banking77sReferenceFitsAndALabelRichOneIsRefusedWithTheValueThatFits() {
        assertDoesNotThrow(() -> NeighbourReference.requireWithinBudget(77, 200, 384));
        BadInputException e = assertThrows(BadInputException.class,
                () -> NeighbourReference.requireWithinBudget(1_000, 200, 384));
        // 128 MB / (1,000 labels x 384 dims x 4 bytes) = 87.4 rows per label
        assertTrue(e.getMessage().contains("tracer.gate.neighbour-rows-per-label to 87 or less")
                && e.getMessage().contains("1,000 labels") && e.getMessage().contains("tracer.gate.neighbours = 0"),
                e.getMessage());
        assertDoesNotThrow(() -> NeighbourReference.requireWithinBudget(1_000, 87, 384));
        assertThrows(BadInputException.class, () -> NeighbourReference.requireWithinBudget(1_000, 88, 384));
        // the product is taken in longs: no overflow lets a huge reference through
        BadInputException huge = assertThrows(BadInputException.class,
                () -> NeighbourReference.requireWithinBudget(100_000, 100_000, 4_096));
        assertTrue(huge.getMessage().contains("even one row per label does not fit"), huge.getMessage());
    }
}

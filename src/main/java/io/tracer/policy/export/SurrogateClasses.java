package io.tracer.policy.export;

import io.tracer.TracerException;
import io.tracer.zoo.SurrogateModel;

import java.lang.reflect.Field;

/**
 * The label index of each model output of a surrogate that only knows the labels it saw (null
 * when its outputs already are the label space). SurrogateModel keeps this private and has no
 * accessor yet, so it is read reflectively here, in one place; replace with an accessor
 * ({@code SurrogateModel.classes()}) when the zoo package gets one.
 */
final class SurrogateClasses {
    private SurrogateClasses() {}

    static int[] of(SurrogateModel surrogate) {
        try {
            Field f = SurrogateModel.class.getDeclaredField("classes");
            f.setAccessible(true);
            int[] classes = (int[]) f.get(surrogate);
            return classes == null ? null : classes.clone();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new TracerException("cannot read the output classes of surrogate " + surrogate.spec().name()
                    + ": " + e, e);
        }
    }
}

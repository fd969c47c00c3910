package dev.vlflow.kv.kernel;

/**
 * Chooses between the Vector API kernels and their scalar twins, in one place. The vector kernels are used when
 * the JVM was started with {@code --add-modules=jdk.incubator.vector} and the system property
 * {@code vlflow.kv.scalar} is not {@code true}; otherwise every cache falls back to the scalar twins, so code that
 * uses kv-quant runs (slower) on a JVM without the incubator module.
 */
public final class Kernels {

    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("vlflow.kv.scalar");

    private Kernels() {
    }

    /** Whether the Vector API kernels are in use in this JVM. */
    public static boolean vectorized() {
        return VECTOR;
    }
}

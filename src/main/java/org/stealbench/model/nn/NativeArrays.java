package org.stealbench.model.nn;

import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ledger of the engine's own off-heap arrays: layer buffers, parameters, gradients and
 * optimiser state are created and closed here, so the bytes a run still holds are a number, not a
 * guess. ND4J 1.0.0-M2.1's CPU backend counts workspaces and constants but not plain data buffers
 * ({@code MemoryManager.allocatedMemory} stays flat while a 100 MB array comes and goes), and an
 * array nobody closes is freed only when the garbage collector happens to find it; closing here
 * frees it at once (docs/decisions/0013-native-memory.md).
 */
public final class NativeArrays {

    private static final AtomicLong BYTES = new AtomicLong();
    private static final AtomicLong ARRAYS = new AtomicLong();

    private NativeArrays() {
    }

    /** A new zero-filled array, counted until {@link #close}. */
    public static INDArray create(DataType type, long... shape) {
        INDArray a = Nd4j.create(type, shape);
        BYTES.addAndGet(bytes(a));
        ARRAYS.incrementAndGet();
        return a;
    }

    /** Counts {@code a} (created elsewhere, owned by the engine from now on) and returns it. */
    public static INDArray adopt(INDArray a) {
        BYTES.addAndGet(bytes(a));
        ARRAYS.incrementAndGet();
        return a;
    }

    /** Frees an array created or adopted here; null and already closed arrays are ignored. */
    public static void close(INDArray a) {
        if (a == null || a.wasClosed()) {
            return;
        }
        long b = bytes(a);
        a.close();
        BYTES.addAndGet(-b);
        ARRAYS.decrementAndGet();
    }

    /** Bytes held by the engine's open arrays, in this JVM. */
    public static long openBytes() {
        return BYTES.get();
    }

    /**
     * Loads the engine's native libraries now (ND4J's backend, oneDNN for the convolutions) and has the JIT compile
     * the vector kernels ({@link PoolReluKernels#warmUp}): what a command's first arrays and first epoch would otherwise
     * wait for. Safe from any thread; a failure is left for that first use to report.
     */
    public static void load() {
        try {
            Nd4j.create(DataType.FLOAT, 1).close();
            OneDnnConvolution.available();
            PoolReluKernels.warmUp();
        } catch (RuntimeException | LinkageError e) {
            // the command's own first use reports it
        }
    }

    /**
     * The oneDNN convolution plans open (primitives, memory descriptions and oneDNN's copies of the weights,
     * {@link OneDnnConvolution}): freed with their layer's buffers, as the arrays are.
     */
    public static long openPlans() {
        return OneDnnConvolution.open();
    }

    /** How many of the engine's arrays are open. */
    public static long openArrays() {
        return ARRAYS.get();
    }

    private static long bytes(INDArray a) {
        return a.length() * a.dataType().width();
    }
}

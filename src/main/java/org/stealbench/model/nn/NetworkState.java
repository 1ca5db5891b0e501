package org.stealbench.model.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads and writes a network's parameter and state vectors (ND4J's binary array format). */
public final class NetworkState {

    private NetworkState() {
    }

    /**
     * Writes {@code a} in ND4J's binary format ({@link Nd4j#write}, which {@link #readArray} reads):
     * its shape information, then its data buffer's allocation mode, length, type and values,
     * big-endian. ND4J writes the values one {@code writeFloat} at a time (a demo theft's per-epoch
     * checkpoint, 1.1 million values, took about 30 ms that way); float32 and float64 arrays in host
     * memory are written here in bulk, byte for byte the same (NaNs keep their bits, where ND4J's
     * writer makes them all the one canonical NaN), others by ND4J.
     */
    public static void writeArray(INDArray a, OutputStream out) throws IOException {
        DataOutputStream dos = new DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
        INDArray arr = a.isView() ? a.dup() : a;
        DataBuffer data = arr.data();
        if (data == null || !bulk(arr)) {
            Nd4j.write(arr, dos);
        } else {
            arr.shapeInfoDataBuffer().write(dos);
            dos.writeUTF(data.allocationMode().name());
            dos.writeLong(data.length());
            dos.writeUTF(data.dataType().name());
            writeValues(data, dos);
        }
        dos.flush();
    }

    /** Whether the array's values can be copied out in bulk: float32 or float64 in host memory, from its buffer's start, not empty. */
    private static boolean bulk(INDArray a) {
        DataType t = a.dataType();
        return Nd4j.getEnvironment().isCPU() && (t == DataType.FLOAT || t == DataType.DOUBLE) && a.data().offset() == 0 && a.data().length() > 0
                && a.data().dataType() == t;
    }

    /** The buffer's values, big-endian, through a heap chunk (one bulk copy out of native memory per chunk). */
    private static void writeValues(DataBuffer data, DataOutputStream out) throws IOException {
        long n = data.length();
        int width = data.dataType() == DataType.FLOAT ? 4 : 8;
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.BIG_ENDIAN);
        int per = chunk.capacity() / width;
        ByteBuffer src = data.asNio().order(ByteOrder.nativeOrder());
        java.nio.FloatBuffer floatsIn = width == 4 ? src.asFloatBuffer() : null;
        java.nio.FloatBuffer floatsOut = width == 4 ? chunk.asFloatBuffer() : null;
        java.nio.DoubleBuffer doublesIn = width == 8 ? src.asDoubleBuffer() : null;
        java.nio.DoubleBuffer doublesOut = width == 8 ? chunk.asDoubleBuffer() : null;
        float[] f = width == 4 ? new float[per] : null;
        double[] d = width == 8 ? new double[per] : null;
        for (long from = 0; from < n; from += per) {
            int len = (int) Math.min(per, n - from);
            if (width == 4) {
                floatsIn.get((int) from, f, 0, len);
                floatsOut.put(0, f, 0, len);
            } else {
                doublesIn.get((int) from, d, 0, len);
                doublesOut.put(0, d, 0, len);
            }
            out.write(chunk.array(), 0, len * width);
        }
    }

    public static INDArray readArray(InputStream in) throws IOException {
        return Nd4j.read(new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16)));
    }

    /** Copies {@code source} into {@code target}, checking the length matches. */
    public static void restore(INDArray target, INDArray source, String what) {
        if (target.length() != source.length()) {
            throw new IllegalArgumentException(what + ": saved " + source.length() + " values, the network has " + target.length()
                    + " (a different architecture or shape)");
        }
        target.assign(source.reshape(target.shape()).castTo(target.dataType()));
    }

    /**
     * The array stored as entry {@code name} of a StealBench zip (encoder or checkpoint); a damaged
     * entry is an error that names the file and the entry (ND4J's reader only says EOFException).
     */
    public static INDArray readEntry(java.util.zip.ZipFile zip, String name, String kind) throws IOException {
        java.util.zip.ZipEntry e = entry(zip, name, kind);
        try (InputStream in = zip.getInputStream(e)) {
            return readArray(in);
        } catch (IOException | RuntimeException ex) {
            Throwable root = ex;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalArgumentException(zip.getName() + ": entry " + name + " of this " + kind + " file is damaged ("
                    + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage())
                    + "); the file is truncated or corrupt", ex);
        }
    }

    /** Entry {@code name}, or an error saying the file is not a StealBench {@code kind}. */
    public static java.util.zip.ZipEntry entry(java.util.zip.ZipFile zip, String name, String kind) {
        java.util.zip.ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new IllegalArgumentException(zip.getName() + ": not a StealBench " + kind + " (no " + name + ")");
        }
        return e;
    }
}

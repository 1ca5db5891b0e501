package org.stealbench.model.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads and writes a network's parameter and state vectors (ND4J's binary array format). */
public final class NetworkState {

    private NetworkState() {
    }

    public static void writeArray(INDArray a, OutputStream out) throws IOException {
        // ND4J writes value by value: unbuffered, each went through the zip stream's CRC and deflater alone
        DataOutputStream dos = new DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
        Nd4j.write(a, dos);
        dos.flush();
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

package org.stealbench.eval;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stealbench.data.ImageDataset;
import org.stealbench.model.ImageEncoder;

/**
 * Feature arrays kept on disk between runs, for encoders that do not change between them: a
 * victim read from its file, a random encoder made from its spec and seed. Every theft of one
 * victim evaluates the copy against the victim's features on the same protocol images (held-out
 * images, its task's probe images, the defender's own), so a fresh process reads them instead
 * of running the victim over them again. The victim's linear probes on those images (the plug-in
 * agreement's head, the honest user's undefended probe) are kept the same way ({@link #probe}).
 *
 * <p>A file is named by the SHA-256 of the encoder's identity (e.g. its file's SHA-256), the
 * images' shape and bytes, and the batch size. It is used only when the encoder's first batch,
 * computed again, matches its first rows (to {@value #TOLERANCE} of the batch's largest value), so
 * a changed forward pass, a replaced file under the same identity or a damaged file never serves
 * stale features: they are recomputed and written again. Bounded: after each write the least
 * recently used files go until the folder holds at most its limit. Files are written to a temporary
 * name and moved into place, so concurrent processes never read half a file.
 */
public final class FeatureStore {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureStore.class);

    /** System property naming the cache folder ({@code off} turns the store off); {@value #DIR_ENV} is read when it is unset. */
    public static final String DIR_PROPERTY = "stealbench.cache";
    public static final String DIR_ENV = "STEALBENCH_CACHE";
    /** The limit of the default store: about a hundred victims' protocol features at 128 dimensions. */
    public static final long DEFAULT_LIMIT_BYTES = 256L << 20;
    /** Largest difference, relative to the recomputed batch's largest magnitude, at which a stored file is used. */
    public static final double TOLERANCE = 1e-4;

    private static final int MAGIC = 0x53424631; // "SBF1"
    private static final int HEADER_BYTES = 16;
    private static final String SUFFIX = ".features";

    private final Path dir;
    private final long limitBytes;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger computed = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    public FeatureStore(Path dir, long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("the feature cache's limit must be positive: " + limitBytes);
        }
        this.dir = dir;
        this.limitBytes = limitBytes;
    }

    /**
     * The user's store: the folder in {@value #DIR_PROPERTY} or {@code $}{@value #DIR_ENV}, else
     * {@code ~/.stealbench/cache/features}; null when either says {@code off}.
     */
    public static FeatureStore standard() {
        String v = System.getProperty(DIR_PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(DIR_ENV);
        }
        if (v != null && v.strip().equalsIgnoreCase("off")) {
            return null;
        }
        Path dir = v == null || v.isBlank()
                ? Path.of(System.getProperty("user.home"), ".stealbench", "cache", "features")
                : Path.of(v.strip());
        return new FeatureStore(dir, DEFAULT_LIMIT_BYTES);
    }

    public Path dir() {
        return dir;
    }

    /** Arrays read from disk (their first batch matched). */
    public int hits() {
        return hits.get();
    }

    /** Arrays computed (nothing stored, or what was stored was rejected). */
    public int computed() {
        return computed.get();
    }

    /** Stored files not used: unreadable, of another shape, or their first batch did not match. */
    public int rejected() {
        return rejected.get();
    }

    /**
     * {@code encoder.represent(images, batch)}, read from disk when stored under {@code identity},
     * else computed and stored. A new array the caller owns.
     *
     * @param images already in the encoder's input shape
     */
    public INDArray represent(ImageEncoder encoder, String identity, ImageDataset images, int batch) {
        Path file = dir.resolve(key(identity, images, batch) + SUFFIX);
        if (Files.isRegularFile(file)) {
            INDArray stored = read(file, images.size(), encoder.repDim());
            if (stored != null && firstBatchMatches(stored, encoder, images, batch)) {
                touch(file);
                hits.incrementAndGet();
                return stored;
            }
            if (stored != null) {
                stored.close();
            }
            rejected.incrementAndGet();
            LOG.info("feature cache: {} did not match {} on {}; computing them again", file.getFileName(), encoder.describe(), images.id());
        }
        INDArray out = encoder.represent(images, batch);
        computed.incrementAndGet();
        try {
            write(file, out);
            evict(file);
        } catch (IOException | RuntimeException e) {
            // a cache that cannot be written costs time, never a run
            LOG.warn("feature cache: could not write {} ({})", file, e.toString());
        }
        return out;
    }

    /**
     * The linear probe (L-BFGS, {@link LinearProbe#fit}) on {@code features}, the features stored under
     * {@code identity} of {@code images} at {@code batch}: read from disk when a head stored for the same
     * encoder, images and labels still meets the fit's stopping rule on these features
     * ({@link LinearProbe#isOptimum}: the same standardisation and a gradient within the fit's
     * tolerance), else fitted, and stored when the fit reached that tolerance. A
     * victim's probe on its task is the same in every theft of it (the plug-in agreement's head), and its
     * fit took as long as the copy's probe on that task.
     */
    LinearProbe.Head probe(String identity, ImageDataset images, int batch, INDArray features, int classes) {
        int[] labels = images.labels();
        int d = (int) features.size(1);
        long values = 2L * d + (long) d * classes + classes;
        Path file = dir.resolve(key(identity + " linear probe, L-BFGS to " + LinearProbe.TOLERANCE + ", weight decay "
                + LinearProbe.WEIGHT_DECAY + ", " + classes + " classes, labels " + labelDigest(labels), images, batch) + SUFFIX);
        if (Files.isRegularFile(file)) {
            INDArray stored = read(file, 1, values);
            if (stored != null) {
                LinearProbe.Head head = LinearProbe.Head.of(stored.toDoubleVector(), d, classes);
                stored.close();
                boolean optimum = false;
                try {
                    optimum = LinearProbe.isOptimum(head, features, labels, classes);
                } finally {
                    if (!optimum) {
                        head.close();
                    }
                }
                if (optimum) {
                    touch(file);
                    hits.incrementAndGet();
                    return head;
                }
            }
            rejected.incrementAndGet();
            LOG.info("feature cache: the probe head {} does not meet the fit's stopping rule on {}; fitting it again", file.getFileName(), images.id());
        }
        LinearProbe.Head head = LinearProbe.fit(features, labels, classes, 0);
        computed.incrementAndGet();
        Lbfgs.Result fit = LinearProbe.lastLbfgs();
        if (fit == null || !fit.converged()) {
            // a later run would reject it (isOptimum asks for the fit's tolerance) and fit it again every time
            LOG.info("feature cache: the probe on {} stopped short of its tolerance ({}); not stored", images.id(), fit);
            return head;
        }
        try (INDArray flat = Nd4j.createFromArray(new double[][] {head.flat()})) {
            write(file, flat);
            evict(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("feature cache: could not write {} ({})", file, e.toString());
        }
        return head;
    }

    private static String labelDigest(int[] labels) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(4 * labels.length);
            b.asIntBuffer().put(labels);
            md.update(b.array());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of the identity, the images (shape and bytes) and the batch size, in hex. */
    static String key(String identity, ImageDataset images, int batch) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(identity.getBytes(StandardCharsets.UTF_8));
            md.update(ByteBuffer.allocate(20).putInt(images.size()).putInt(images.channels()).putInt(images.height())
                    .putInt(images.width()).putInt(batch).array());
            md.update(images.rawPixels());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The encoder's first batch, computed as {@link ImageEncoder#represent(ImageDataset, int)} computes it, against the stored rows. */
    private static boolean firstBatchMatches(INDArray stored, ImageEncoder encoder, ImageDataset images, int batch) {
        int n = Math.min(Math.max(1, batch), images.size());
        try (INDArray fresh = encoder.represent(images.slice(0, n), batch)) {
            if (fresh.dataType() != stored.dataType()) {
                return false;
            }
            return firstRowsAgree(stored, fresh, n);
        }
    }

    /** Whether the first {@code n} stored rows equal {@code fresh} within {@link #TOLERANCE}. */
    private static boolean firstRowsAgree(INDArray stored, INDArray fresh, int n) {
        try (INDArray rows = stored.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n),
                     org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
             INDArray diff = rows.sub(fresh)) {
            double scale = fresh.amaxNumber().doubleValue();
            double worst = diff.amaxNumber().doubleValue();
            return Double.isFinite(worst) && worst <= TOLERANCE * Math.max(scale, 1e-12);
        }
    }

    private static INDArray read(Path file, long rows, long cols) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, header);
            header.flip();
            int magic = header.getInt();
            int type = header.getInt();
            int r = header.getInt();
            int c = header.getInt();
            if (magic != MAGIC || r != rows || c != cols || (type != 4 && type != 8)) {
                return null;
            }
            long values = rows * cols;
            if (ch.size() != HEADER_BYTES + values * type) {
                return null;
            }
            ByteBuffer body = ByteBuffer.allocate(Math.toIntExact(values * type)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, body);
            body.flip();
            if (type == 4) {
                float[] v = new float[(int) values];
                body.asFloatBuffer().get(v);
                return org.stealbench.model.nn.Ops.floats(v, rows, cols);
            }
            double[] v = new double[(int) values];
            body.asDoubleBuffer().get(v);
            return Nd4j.create(v, new long[] {rows, cols}, 'c');
        } catch (IOException | RuntimeException e) {
            LOG.info("feature cache: could not read {} ({})", file.getFileName(), e.toString());
            return null;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new IOException("truncated");
            }
        }
    }

    private void write(Path file, INDArray features) throws IOException {
        Files.createDirectories(dir);
        boolean floats = features.dataType() == DataType.FLOAT;
        int type = floats ? 4 : 8;
        long values = features.length();
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(HEADER_BYTES + values * type)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(type).putInt((int) features.rows()).putInt((int) features.columns());
        INDArray c = features.ordering() == 'c' && !features.isView() ? features : features.dup('c');
        if (floats) {
            buf.asFloatBuffer().put(c.data().asFloat());
        } else {
            buf.asDoubleBuffer().put(c.data().asDouble());
        }
        if (c != features) {
            c.close();
        }
        buf.rewind(); // the typed views above fill the body without moving the buffer's position
        Path tmp = Files.createTempFile(dir, "writing-", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            LOG.debug("feature cache: could not touch {}", file, e);
        }
    }

    /** Deletes the least recently used files (never {@code keep}) until the folder holds at most the limit. */
    private void evict(Path keep) throws IOException {
        record Entry(Path path, long size, long used) {
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(SUFFIX)) {
                    try {
                        entries.add(new Entry(p, Files.size(p), Files.getLastModifiedTime(p).toMillis()));
                    } catch (IOException e) {
                        // deleted by another process meanwhile
                    }
                }
            }
        }
        long total = entries.stream().mapToLong(Entry::size).sum();
        entries.sort(Comparator.comparingLong(Entry::used));
        for (Entry e : entries) {
            if (total <= limitBytes) {
                break;
            }
            if (!e.path().equals(keep) && Files.deleteIfExists(e.path())) {
                total -= e.size();
            }
        }
    }
}

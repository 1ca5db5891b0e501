package org.stealbench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Split;
import org.stealbench.data.synthetic.ShapesGenerator;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderSpec;

class FeatureStoreTest {

    private static final EncoderSpec SPEC = EncoderSpec.of(Architecture.SMALL_CNN, 3, 16, 16, null);

    @TempDir
    Path dir;

    /** Shapes images in the encoders' input shape. */
    private static ImageDataset shapes(int n) {
        return org.stealbench.data.transform.ImageAdapters.fit(ShapesGenerator.generate(Split.TEST, n, 3), 3, 16, 16);
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".features")).sorted().toList();
        }
    }

    @Test
    void aSecondRunReadsWhatTheFirstComputedAndGetsTheSameFeatures() throws Exception {
        ImageDataset images = shapes(70); // not a multiple of the batch: the last batch is padded
        try (Encoder enc = new Encoder(SPEC, 1)) {
            FeatureStore first = new FeatureStore(dir, 1 << 20);
            try (INDArray direct = enc.represent(images, 32); INDArray computed = first.represent(enc, "enc-1", images, 32)) {
                assertEquals(direct, computed);
                assertEquals(1, first.computed());
                assertEquals(0, first.hits());
                assertEquals(1, files(dir).size());
                FeatureStore second = new FeatureStore(dir, 1 << 20); // another process, as far as the store knows
                try (INDArray read = second.represent(enc, "enc-1", images, 32)) {
                    assertEquals(1, second.hits());
                    assertEquals(0, second.computed());
                    assertEquals(direct, read);
                }
            }
            // other images, or another batch size, are another file
            FeatureStore third = new FeatureStore(dir, 1 << 20);
            third.represent(enc, "enc-1", images.slice(0, 69), 32).close();
            third.represent(enc, "enc-1", images, 16).close();
            assertEquals(2, third.computed());
            assertEquals(3, files(dir).size());
        }
    }

    @Test
    void anotherEncoderUnderTheSameIdentityIsCaughtByItsFirstBatchAndRecomputed() throws Exception {
        ImageDataset images = shapes(50);
        try (Encoder a = new Encoder(SPEC, 1); Encoder b = new Encoder(SPEC, 2)) {
            new FeatureStore(dir, 1 << 20).represent(a, "victim.zip", images, 25).close();
            FeatureStore store = new FeatureStore(dir, 1 << 20);
            try (INDArray got = store.represent(b, "victim.zip", images, 25); INDArray direct = b.represent(images, 25)) {
                assertEquals(1, store.rejected());
                assertEquals(1, store.computed());
                assertEquals(direct, got);
            }
            // and the file now holds b's features
            FeatureStore again = new FeatureStore(dir, 1 << 20);
            try (INDArray got = again.represent(b, "victim.zip", images, 25); INDArray direct = b.represent(images, 25)) {
                assertEquals(1, again.hits());
                assertEquals(direct, got);
            }
        }
    }

    @Test
    void aDamagedFileIsRecomputedNotRead() throws Exception {
        ImageDataset images = shapes(40);
        try (Encoder enc = new Encoder(SPEC, 3)) {
            new FeatureStore(dir, 1 << 20).represent(enc, "e", images, 20).close();
            Path file = files(dir).get(0);
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 7)); // truncated
            FeatureStore store = new FeatureStore(dir, 1 << 20);
            try (INDArray got = store.represent(enc, "e", images, 20); INDArray direct = enc.represent(images, 20)) {
                assertEquals(1, store.rejected());
                assertEquals(direct, got);
            }
            assertEquals(bytes.length, Files.size(file), "written again whole");
        }
    }

    @Test
    void theFolderStaysUnderItsLimitByDroppingTheLeastRecentlyUsedFiles() throws Exception {
        ImageDataset images = shapes(30);
        try (Encoder enc = new Encoder(SPEC, 4)) {
            long oneFile = 16 + 30L * enc.repDim() * 4;
            FeatureStore store = new FeatureStore(dir, 2 * oneFile + 10); // room for two
            store.represent(enc, "a", images, 30).close();
            Path a = files(dir).get(0);
            Files.setLastModifiedTime(a, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
            store.represent(enc, "b", images, 30).close();
            Path b = files(dir).stream().filter(p -> !p.equals(a)).findFirst().orElseThrow();
            Files.setLastModifiedTime(b, FileTime.fromMillis(System.currentTimeMillis() - 30_000));
            store.represent(enc, "a", images, 30).close(); // a is read, so used more recently than b
            assertEquals(1, store.hits());
            store.represent(enc, "c", images, 30).close();
            List<Path> left = files(dir);
            assertEquals(2, left.size());
            assertTrue(left.contains(a));
            assertFalse(left.contains(b));
        }
    }

    @Test
    void featuresKeepOnlyTheEncodersTheyAreToldToOnDisk() throws Exception {
        ImageDataset images = shapes(30);
        FeatureStore store = new FeatureStore(dir, 1 << 20);
        try (Encoder victim = new Encoder(SPEC, 5); Encoder copy = new Encoder(SPEC, 6); Features cache = new Features(store)) {
            cache.keepOnDisk(victim, "victim");
            INDArray v = cache.of(victim, images);
            cache.of(copy, images);
            assertEquals(1, files(dir).size());
            cache.release(victim);
            assertTrue(v.wasClosed());
            try (Features next = new Features(store)) {
                next.keepOnDisk(victim, "victim");
                try (INDArray direct = victim.represent(images, 250)) {
                    assertEquals(direct, next.of(victim, images));
                }
                assertEquals(1, store.hits());
            }
        }
    }

    @Test
    void aProbeIsKeptBesideTheFeaturesAndReadOnlyWhileItIsTheOptimumOnThem() throws Exception {
        ImageDataset images = shapes(120);
        int classes = images.numClasses();
        try (Encoder victim = new Encoder(SPEC, 7); Encoder other = new Encoder(SPEC, 8)) {
            FeatureStore first = new FeatureStore(dir, 1 << 20);
            try (Features cache = new Features(first)) {
                cache.keepOnDisk(victim, "victim");
                LinearProbe.Head head = cache.probe(victim, images, classes);
                assertSame(head, cache.probe(victim, images, classes), "kept in memory");
                assertSameHead(LinearProbe.fit(cache.of(victim, images), images.labels(), classes, 0), head);
                assertEquals(2, first.computed(), "the features and the probe");
                assertEquals(2, files(dir).size());
            }
            FeatureStore second = new FeatureStore(dir, 1 << 20); // another process
            try (Features cache = new Features(second)) {
                cache.keepOnDisk(victim, "victim");
                LinearProbe.Head head = cache.probe(victim, images, classes);
                assertEquals(2, second.hits());
                assertEquals(0, second.computed());
                assertSameHead(LinearProbe.fit(cache.of(victim, images), images.labels(), classes, 0), head);
                cache.release(victim);
                assertTrue(head.weights().wasClosed(), "released with the encoder's features");
            }
            // another encoder under the same identity: its features are computed again, and the stored probe, not their
            // optimum, is fitted again
            FeatureStore third = new FeatureStore(dir, 1 << 20);
            try (Features cache = new Features(third)) {
                cache.keepOnDisk(other, "victim");
                LinearProbe.Head head = cache.probe(other, images, classes);
                assertEquals(2, third.rejected());
                assertEquals(2, third.computed());
                assertSameHead(LinearProbe.fit(cache.of(other, images), images.labels(), classes, 0), head);
            }
            // an encoder not kept on disk: fitted, nothing written
            try (Features cache = new Features(new FeatureStore(dir, 1 << 20))) {
                assertSameHead(LinearProbe.fit(cache.of(victim, images), images.labels(), classes, 0), cache.probe(victim, images, classes));
            }
            assertEquals(2, files(dir).size());
        }
    }

    private static void assertSameHead(LinearProbe.Head expected, LinearProbe.Head actual) {
        assertEquals(expected.mean(), actual.mean());
        assertEquals(expected.std(), actual.std());
        assertEquals(expected.weights(), actual.weights());
        assertEquals(expected.bias(), actual.bias());
    }
}

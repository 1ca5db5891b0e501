package org.stealbench.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.DatasetSplits;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Roles;
import org.stealbench.data.Split;
import org.stealbench.data.TestData;
import org.stealbench.data.format.CifarBinaryFormat;
import org.stealbench.data.format.Stl10BinaryFormat;
import org.stealbench.data.format.SvhnMatFormat;

class ProtocolTest {

    @TempDir
    Path tmp;
    DatasetRegistry registry;
    Path folder;

    @BeforeEach
    void data() throws Exception {
        Path user = tmp.resolve("user");
        for (int b = 1; b <= 5; b++) {
            CifarBinaryFormat.write(user.resolve("cifar10/data_batch_" + b + ".bin"), CifarBinaryFormat.Variant.CIFAR10,
                    TestData.randomBytes(40 * 3072, b), TestData.labels(40, 10));
        }
        CifarBinaryFormat.write(user.resolve("cifar10/test_batch.bin"), CifarBinaryFormat.Variant.CIFAR10, TestData.randomBytes(100 * 3072, 9),
                TestData.labels(100, 10));
        CifarBinaryFormat.write(user.resolve("cifar100/train.bin"), CifarBinaryFormat.Variant.CIFAR100, TestData.randomBytes(400 * 3072, 1),
                TestData.labels(400, 100));
        CifarBinaryFormat.write(user.resolve("cifar100/test.bin"), CifarBinaryFormat.Variant.CIFAR100, TestData.randomBytes(200 * 3072, 2),
                TestData.labels(200, 100));
        int stl = Stl10BinaryFormat.IMAGE_BYTES;
        Stl10BinaryFormat.write(user.resolve("stl10"), Split.TRAIN, TestData.randomBytes(60 * stl, 3), TestData.labels(60, 10));
        Stl10BinaryFormat.write(user.resolve("stl10"), Split.TEST, TestData.randomBytes(40 * stl, 4), TestData.labels(40, 10));
        SvhnMatFormat.write(user.resolve("svhn").resolve(SvhnMatFormat.fileName(Split.TRAIN)), TestData.randomBytes(200 * 3072, 5),
                TestData.labels(200, 10));
        SvhnMatFormat.write(user.resolve("svhn").resolve(SvhnMatFormat.fileName(Split.TEST)), TestData.randomBytes(100 * 3072, 6),
                TestData.labels(100, 10));
        // an image folder stored class by class, as users keep them
        folder = tmp.resolve("folder");
        for (int c = 0; c < 4; c++) {
            for (int i = 0; i < 50; i++) {
                TestData.image(folder.resolve("class" + c).resolve(i + ".png"), 8, 8, 0x102030 * (c + 1) + i, "png");
            }
        }
        registry = DatasetRegistry.standard(new DatasetRegistry.Roots(
                Path.of(System.getProperty("stealbench.home", ".")).resolve("sample-data"), tmp.resolve("sys"), user));
    }

    private List<String> everyId() {
        List<String> ids = new ArrayList<>(registry.ids());
        ids.add(DatasetRegistry.FOLDER_PREFIX + folder);
        return ids;
    }

    @Test
    void everyRoleIsDisjointFromEveryOtherForEveryDataset() {
        for (String id : everyId()) {
            DatasetSplits s = registry.load(id);
            int[] victimTrain = Roles.victimTraining(s.train().labels(), s.train().size() / 3, 1);
            Protocol asVictim = new Protocol(new Protocol.VictimData(id, victimTrain, "test"), registry);
            Protocol asOther = new Protocol(new Protocol.VictimData("fashion-mnist", Roles.victimTraining(
                    registry.load("fashion-mnist").train().labels(), 10_000, 1), "test"), registry);
            for (Protocol p : List.of(asVictim, asOther)) {
                Roles.Layout l = p.layout(id);
                assertTrue(Roles.disjoint(l.victimTrain(), l.honest(), l.probeTrain(), l.poolTrain()), id + ": training split roles overlap");
                assertTrue(Roles.disjoint(l.probeTest(), l.heldOut(), l.poolTest()), id + ": test split roles overlap");
                assertEquals(s.train().size(), l.victimTrain().length + l.honest().length + l.probeTrain().length + l.poolTrain().length, id);
                assertEquals(s.test().size(), l.probeTest().length + l.heldOut().length + l.poolTest().length, id);
                assertEquals(l.poolSize(), p.pool(id).size());
                assertEquals(l.poolSize() / 2, p.queries(id, l.poolSize() / 2).size());
            }
            assertEquals(victimTrain.length, asVictim.layout(id).victimTrain().length, id);
            assertTrue(asVictim.isVictimDataset(id));
            if (!asOther.isVictimDataset(id)) {
                assertEquals(0, asOther.layout(id).heldOut().length, id + ": held-out images only in the victim's dataset");
            }
            assertTrue(asVictim.heldOut().size() > 0, id + " has held-out images");
            assertEquals(asVictim.layout(id).probeTrain().length, asVictim.task(id).train().size());
        }
    }

    @Test
    void theBundledVictimsImagesComeFromItsProvenanceAndTheDefaultTasksStartWithItsDataset() {
        ExperimentConfig demo = ExperimentConfig.demo("infonce");
        Protocol p = Protocol.of(demo, registry);
        assertEquals("fashion-mnist@bundled", p.victimDataset());
        assertEquals(10_000, p.victim().trainIndices().length);
        assertEquals(List.of("fashion-mnist", "mnist", "digits"), p.defaultTasks());
        Roles.Layout l = p.layout("fashion-mnist");
        // a victim trained before indices were recorded learnt from the first 10,000 training images
        assertEquals(0, l.victimTrain()[0]);
        assertEquals(9_999, l.victimTrain()[9_999]);
        assertTrue(p.queries("fashion-mnist", 2000).size() == 2000);
        assertFalse(p.describe("fashion-mnist", demo.tasks()).isEmpty());
        Map<String, Object> shapesVictim = new LinkedHashMap<>();
        shapesVictim.put("datasetSpec", "shapes");
        shapesVictim.put("trainIndices", List.of(0, 1, 2));
        Protocol shapes = new Protocol(Protocol.VictimData.fromProvenance(shapesVictim), registry);
        assertEquals(List.of("shapes", "fashion-mnist", "mnist", "digits"), shapes.defaultTasks());
        assertNull(Protocol.VictimData.fromProvenance(Map.of("kind", "stolen copy")));
    }

    @Test
    void aBudgetThePoolCannotMeetAndMissingDataAreRefusedBeforeARun() {
        ExperimentConfig demo = ExperimentConfig.demo("mse");
        assertEquals(List.of(), Protocol.problems(demo, registry));
        int cap = Protocol.of(demo, registry).capacity("fashion-mnist");
        List<String> tooMany = Protocol.problems(demo.withQueries(cap + 1), registry);
        assertEquals(1, tooMany.size(), tooMany.toString());
        assertTrue(tooMany.get(0).contains("offers " + cap), tooMany.get(0));
        List<String> missing = Protocol.problems(demo.withTasks(List.of("fashion-mnist", "cifar10")), DatasetRegistry.standard(
                new DatasetRegistry.Roots(Path.of(System.getProperty("stealbench.home", ".")).resolve("sample-data"), tmp.resolve("none"),
                        tmp.resolve("none"))));
        assertEquals(1, missing.size(), missing.toString());
        assertTrue(missing.get(0).startsWith("task cifar10: "), missing.get(0));
        assertThrows(IllegalArgumentException.class, () -> Protocol.of(demo.withQueries(cap + 1), registry).queries("fashion-mnist", cap + 1));
        Protocol p = Protocol.of(demo, registry);
        ImageDataset q = p.queries("mnist", 500);
        int[] counts = q.classCounts();
        int[] pool = p.pool("mnist").classCounts();
        int poolSize = p.capacity("mnist");
        for (int c = 0; c < counts.length; c++) {
            assertEquals(500.0 * pool[c] / poolSize, counts[c], 1.0, "a budget takes every class in proportion to the pool");
        }
    }

    @Test
    void aBudgetFromAClassOrderedFolderTakesEveryClassInProportion() throws Exception {
        // an image folder is read class by class: 2,000 queries must not be the first classes only
        Path big = tmp.resolve("big-folder");
        for (int c = 0; c < 10; c++) {
            for (int i = 0; i < 300; i++) {
                TestData.image(big.resolve("c" + c).resolve(i + ".png"), 4, 4, 0x010101 * (c * 20) + i, "png");
            }
        }
        String id = DatasetRegistry.FOLDER_PREFIX + big;
        int[] labels = registry.load(id).train().labels();
        assertTrue(labels[0] == 0 && labels[labels.length - 1] == 9, "stored class by class");
        // the query draw itself, 2,000 of the folder's 2,400 training images
        int[] drawn = Roles.queries(labels, 2000);
        int[] counts = new int[10];
        for (int i : drawn) {
            counts[labels[i]]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(200, counts[c], 2, "class " + c + " within 1% of its share");
        }
        // and through the protocol: a budget from the folder's pool
        Protocol p = Protocol.withoutVictim(registry);
        int pool = p.capacity(id);
        int[] qc = p.queries(id, 1000).classCounts();
        int[] shares = p.pool(id).classCounts();
        for (int c = 0; c < 10; c++) {
            assertEquals(1000.0 * shares[c] / pool, qc[c], 1.0, "class " + c);
        }
    }
}

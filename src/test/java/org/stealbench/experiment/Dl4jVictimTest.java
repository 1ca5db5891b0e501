package org.stealbench.experiment;

import static org.bytedeco.hdf5.global.hdf5.H5F_OBJ_ALL;
import static org.bytedeco.hdf5.global.hdf5.H5F_OBJ_ATTR;
import static org.bytedeco.hdf5.global.hdf5.H5F_OBJ_DATASET;
import static org.bytedeco.hdf5.global.hdf5.H5F_OBJ_FILE;
import static org.bytedeco.hdf5.global.hdf5.H5F_OBJ_GROUP;
import static org.bytedeco.hdf5.global.hdf5.H5Fget_obj_count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Roles;
import org.stealbench.data.transform.ImageAdapters;
import org.stealbench.model.Dl4jEncoder;
import org.stealbench.model.Dl4jModels;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.ImageEncoder;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.train.Cancellation;

/** DL4J models as victims (issue 18): imported with what they were trained on, then stolen, defended and evaluated like any victim. */
class Dl4jVictimTest {

    @TempDir
    Path tmp;

    private DatasetRegistry registry() {
        return org.stealbench.data.TestData.sampleRegistry(tmp);
    }

    @Test
    void theBundledVictimThroughDl4jGivesItsOwnRepresentations() throws Exception {
        NativeBackend.configure();
        DatasetRegistry reg = registry();
        Path bundled = ExperimentRunner.victimFile(ExperimentConfig.defaults(), reg);
        Path model = tmp.resolve("victim-dl4j.zip");
        Path imported = tmp.resolve("imported.zip");
        try (Encoder victim = EncoderIO.load(bundled).encoder()) {
            Dl4jModels.export(victim, model);
            VictimImport.Outcome o = VictimImport.run(new VictimImport.Request(model, "fashion-mnist", "first:10000", null, null, 1,
                    new int[] {1, 32, 32}), reg, imported);
            assertEquals("MultiLayerNetwork", o.model().type());
            assertEquals(Dl4jEncoder.Layout.NCHW, o.model().input().layout());
            assertEquals(128, o.model().repDim());
            assertTrue(EncoderIO.isImported(imported));
            IllegalArgumentException notOwn = assertThrows(IllegalArgumentException.class, () -> EncoderIO.load(imported));
            assertTrue(notOwn.getMessage().contains("imported DL4J model"), notOwn.getMessage());

            Protocol p = Protocol.forVictim(imported, reg);
            Protocol own = Protocol.forVictim(bundled, reg);
            // the same images play the same roles as for the bundled victim: it was trained on the first 10,000
            assertEquals(10_000, p.victim().trainIndices().length);
            assertTrue(java.util.Arrays.equals(own.layout("fashion-mnist").heldOut(), p.layout("fashion-mnist").heldOut()));
            ImageDataset held = p.heldOut().slice(0, 100);
            try (ImageEncoder dl4j = EncoderIO.open(imported).encoder();
                 INDArray theirs = dl4j.represent(ImageAdapters.fit(held, 1, 32, 32), 64);
                 INDArray ours = victim.represent(ImageAdapters.fit(held, 1, 32, 32), 64)) {
                assertInstanceOf(Dl4jEncoder.class, dl4j);
                double diff = ours.castTo(DataType.DOUBLE).sub(theirs.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
                double scale = ours.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
                assertTrue(scale > 0.1, "non-trivial representations: " + scale);
                assertTrue(diff <= 1e-5 * Math.max(1, scale), "largest difference " + diff + " (values up to " + scale + ")");
            }
        }
    }

    /** A ComputationGraph classifier on 16x16 digits; its 24-d hidden layer "rep" is the representation. */
    private static ComputationGraph graph() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(16, 16, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "conv")
                .addLayer("rep", new DenseLayer.Builder().nOut(24).activation(Activation.RELU).build(), "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build(),
                        "rep")
                .setOutputs("out").build());
        g.init();
        return g;
    }

    @Test
    void aDl4jGraphTrainedOnAWholeSplitIsStolenEndToEnd() throws Exception {
        NativeBackend.configure();
        DatasetRegistry reg = registry();
        Path model = tmp.resolve("graph.zip");
        ComputationGraph g = graph();
        ModelSerializer.writeModel(g, model.toFile(), false);
        g.close();
        Path victim = tmp.resolve("graph-victim.zip");
        VictimImport.Outcome o = VictimImport.run(new VictimImport.Request(model, "digits", "all", null, "rep", 1, new int[] {1, 16, 16}),
                reg, victim);
        assertEquals("ComputationGraph", o.model().type());
        assertEquals(24, o.model().repDim());
        assertTrue(o.victimData().wholeSplit());

        // unknown indices: the victim had every training image; probe, honest user and pool share them, held-out images stay unseen
        Protocol p = Protocol.forVictim(victim, reg);
        Roles.Layout l = p.layout("digits");
        assertTrue(l.sharesVictimTraining());
        assertEquals(l.trainSize(), l.victimTrain().length);
        assertTrue(l.probeTrain().length > 0 && l.honest().length > 0 && l.heldOut().length > 0);
        assertTrue(Protocol.problems(tinyTheft(victim), reg).isEmpty(), Protocol.problems(tinyTheft(victim), reg).toString());

        List<ExperimentEvent> events = new java.util.ArrayList<>();
        ExperimentResult r = ExperimentRunner.run(tinyTheft(victim), reg, events::add, new Cancellation(), tmp.resolve("results"),
                ExperimentRunner.Options.LIVE);
        assertEquals("COMPLETED", r.status());
        assertEquals(96, r.queriesUsed());
        assertTrue(Files.isRegularFile(r.folder().resolve("stolen.zip")));
        assertTrue(Double.isNaN(r.watermarkAccuracy()), "no watermark on an imported model");
        assertTrue(r.cosine() > 0 && r.cosine() <= 1, "fidelity " + r.cosine());
        Map<String, Object> stolenProv = EncoderIO.readProvenance(r.folder().resolve("stolen.zip"));
        // the copy keeps its victim's record, "all" included, so evaluating it later finds the same held-out images
        Protocol.VictimData copyOf = Protocol.VictimData.fromProvenance(stolenProv);
        assertTrue(copyOf.wholeSplit(), stolenProv.toString());
        String results = Files.readString(r.folder().resolve("results.json"));
        assertTrue(results.contains("\"queryPoolOverlapsVictimTraining\" : true"), results);
        try (Encoder copy = EncoderIO.load(r.folder().resolve("stolen.zip")).encoder()) {
            assertEquals(24, copy.repDim());
        }
    }

    private static ExperimentConfig tinyTheft(Path victim) {
        return new ExperimentConfig(ExperimentConfig.SCHEMA, victim.toString(), "digits", 96, "infonce", "small-cnn", 2, false,
                List.of("digits"), List.of("prada"), 1);
    }

    @Test
    void channelsLastNetworksAreFoundAndLayersPickedByName() throws Exception {
        NativeBackend.configure();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).dataFormat(CNN2DFormat.NHWC).activation(Activation.RELU).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).build())
                .layer(new DenseLayer.Builder().name("features").nOut(12).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(10, 12, 3, CNN2DFormat.NHWC)).build());
        net.init();
        try (Dl4jEncoder e = new Dl4jEncoder(net, null, new Dl4jEncoder.Input(3, 10, 12, null, "features", 1))) {
            assertEquals(Dl4jEncoder.Layout.NHWC, e.input().layout());
            assertEquals(12, e.repDim());
            float[] images = new float[5 * 3 * 10 * 12];
            for (int i = 0; i < images.length; i++) {
                images[i] = (i % 17) / 17f;
            }
            try (INDArray rep = e.represent(images, 5)) {
                assertEquals(List.of(5L, 12L), List.of(rep.size(0), rep.size(1)));
            }
        }
        MultiLayerNetwork flat = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(64).nOut(6).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(5).activation(Activation.IDENTITY).build()).build());
        flat.init();
        try (Dl4jEncoder e = new Dl4jEncoder(flat, null, new Dl4jEncoder.Input(1, 8, 8, null, null, 1))) {
            assertEquals(Dl4jEncoder.Layout.FLAT, e.input().layout());
            assertEquals(5, e.repDim());
        }
        MultiLayerNetwork other = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(64).nOut(6).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(6).nOut(5).activation(Activation.IDENTITY).build()).build());
        other.init();
        IllegalArgumentException why = assertThrows(IllegalArgumentException.class,
                () -> new Dl4jEncoder(other, null, new Dl4jEncoder.Input(1, 16, 16, null, null, 1)));
        assertTrue(why.getMessage().contains("does not take 1x16x16 images") && why.getMessage().contains("nchw:"), why.getMessage());
        other.close();
    }

    /**
     * A Keras 2 encoder (scripts/keras-fixture.py: Conv2D channels-last, global average pool, Dense) through DL4J's Keras
     * import: found as channels-last, and the representations NumPy computed from the same weights.
     */
    @Test
    void aKerasEncoderIsImportedAndGivesTheReferenceRepresentations() throws Exception {
        NativeBackend.configure();
        Path h5 = tmp.resolve("encoder.h5");
        try (var in = Dl4jVictimTest.class.getResourceAsStream("/keras/encoder.h5")) {
            Files.copy(in, h5);
        }
        Map<String, Object> expected;
        try (var in = Dl4jVictimTest.class.getResourceAsStream("/keras/encoder-expected.json")) {
            expected = new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, Map.class);
        }
        Path victim = tmp.resolve("keras-victim.zip");
        long open = openHdf5Objects();
        VictimImport.Outcome o = VictimImport.run(new VictimImport.Request(h5, "digits", "all", null, null, 1, new int[] {1, 12, 12}),
                registry(), victim);
        // an HDF5 file left open is freed later on JavaCPP's own thread, and HDF5 is not thread-safe: the JVM died of it
        assertEquals(open, openHdf5Objects(), "HDF5 files or objects the import left open");
        assertEquals("keras", o.model().format());
        assertEquals(Dl4jEncoder.Layout.NHWC, o.model().input().layout());
        assertEquals(10, o.model().repDim());
        @SuppressWarnings("unchecked")
        List<Number> pixels = (List<Number>) expected.get("images");
        @SuppressWarnings("unchecked")
        List<List<Number>> reps = (List<List<Number>>) expected.get("representations");
        float[] images = new float[pixels.size()];
        for (int i = 0; i < images.length; i++) {
            images[i] = pixels.get(i).floatValue();
        }
        double largest = 0;
        int positive = 0;
        try (ImageEncoder keras = EncoderIO.open(victim).encoder(); INDArray rep = keras.represent(images, reps.size())) {
            for (int i = 0; i < reps.size(); i++) {
                for (int j = 0; j < reps.get(i).size(); j++) {
                    double want = reps.get(i).get(j).doubleValue();
                    largest = Math.max(largest, Math.abs(rep.getDouble(i, j) - want));
                    positive += want > 0 ? 1 : 0;
                }
            }
        }
        assertEquals(open, openHdf5Objects(), "HDF5 files or objects opening the imported victim left open");
        assertTrue(positive >= 8, "the reference has " + positive + " non-zero values");
        assertTrue(largest < 1e-5, "largest difference from NumPy's representations: " + largest);
    }

    /**
     * Files, groups, datasets and attributes HDF5 has open in this process (not datatypes: DL4J's Keras import keeps
     * one for good in a static field from its first use).
     */
    private static long openHdf5Objects() {
        return H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_FILE | H5F_OBJ_GROUP | H5F_OBJ_DATASET | H5F_OBJ_ATTR);
    }

    @Test
    void trainingIndicesAreReadAndChecked() throws Exception {
        assertEquals(null, VictimImport.indices("all", 100));
        assertEquals(10, VictimImport.indices("first:10", 100).length);
        assertEquals(null, VictimImport.indices("first:100", 100));
        Path list = tmp.resolve("idx.txt");
        Files.writeString(list, "5, 3\n9 1\n");
        assertTrue(java.util.Arrays.equals(new int[] {1, 3, 5, 9}, VictimImport.indices(list.toString(), 100)));
        Files.writeString(list, "5 5");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VictimImport.indices(list.toString(), 100)).getMessage()
                .contains("listed twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> VictimImport.indices("first:101", 100)).getMessage()
                .contains("100 images"));
        Path model = tmp.resolve("graph.zip");
        ComputationGraph g = graph();
        ModelSerializer.writeModel(g, model.toFile(), false);
        g.close();
        IllegalArgumentException noFile = assertThrows(IllegalArgumentException.class, () -> VictimImport.run(new VictimImport.Request(model,
                "digits", tmp.resolve("none.txt").toString(), null, "rep", 1, null), registry(), tmp.resolve("v.zip")));
        assertTrue(noFile.getMessage().contains("'all', 'first:N' or a file"), noFile.getMessage());
        Files.writeString(list, "1 99999");
        RuntimeException outside = assertThrows(RuntimeException.class, () -> VictimImport.run(new VictimImport.Request(model,
                "digits", list.toString(), null, "rep", 1, null), registry(), tmp.resolve("v.zip")));
        assertTrue(outside.getMessage().contains("99999 is outside the training split"), outside.getMessage());
        Files.writeString(tmp.resolve("not-a-model.zip"), "hello");
        IllegalArgumentException notModel = assertThrows(IllegalArgumentException.class, () -> VictimImport.run(new VictimImport.Request(
                tmp.resolve("not-a-model.zip"), "digits", "all", null, null, 1, null), registry(), tmp.resolve("v.zip")));
        assertTrue(notModel.getMessage().contains("neither a DL4J model"), notModel.getMessage());
        assertFalse(Files.exists(tmp.resolve("v.zip")));
    }
}

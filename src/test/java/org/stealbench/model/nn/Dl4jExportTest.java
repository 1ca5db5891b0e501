package org.stealbench.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderIO;
import org.stealbench.model.EncoderSpec;

/** The bundled victim's trunk as a DL4J MultiLayerNetwork computes the same representations. */
class Dl4jExportTest {

    @Test
    void theVictimsTrunkInDl4jGivesTheSameRepresentations() {
        Path file = Path.of(System.getProperty("stealbench.home", "."), "sample-data", "victim-fashion-mnist", "victim.zip");
        try (Encoder victim = EncoderIO.load(file).encoder()) {
            MultiLayerNetwork dl4j = Dl4jExport.toMultiLayer(victim.trunk());
            Nd4j.getRandom().setSeed(5);
            float[] images = Nd4j.rand(DataType.FLOAT, 16, 1, 32, 32).data().asFloat();
            INDArray x = victim.input(images, 16);
            INDArray ours = victim.trunk().forward(x, false).dup();
            INDArray theirs = dl4j.output(x.castTo(DataType.FLOAT));
            assertEquals(ours.size(0), theirs.size(0));
            assertEquals(ours.size(1), theirs.size(1));
            double diff = maxAbsDiff(ours, theirs);
            double scale = ours.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
            System.out.println("[dl4j] largest difference " + diff + ", values up to " + scale);
            assertTrue(scale > 0.1, "non-trivial representations: " + scale);
            assertTrue(diff <= 1e-5 * Math.max(1, scale), "largest difference " + diff + " (values up to " + scale + ")");
        }
    }

    @Test
    void anExportedEncoderLoadsInDl4jWithItsNormaliserAndGivesTheSameRepresentations(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path file = Path.of(System.getProperty("stealbench.home", "."), "sample-data", "victim-fashion-mnist", "victim.zip");
        Path out = tmp.resolve("victim-dl4j.zip");
        try (Encoder victim = EncoderIO.load(file).encoder()) {
            org.stealbench.model.Dl4jModels.export(victim, out);
            // as a DL4J user would: the model, its normaliser, raw NCHW images in [0, 1]
            MultiLayerNetwork net = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(out.toFile());
            org.nd4j.linalg.dataset.api.preprocessor.DataNormalization norm = org.deeplearning4j.util.ModelSerializer.restoreNormalizerFromFile(
                    out.toFile());
            Nd4j.getRandom().setSeed(6);
            INDArray raw = Nd4j.rand(DataType.FLOAT, 8, 1, 32, 32);
            INDArray x = raw.dup();
            norm.transform(x);
            INDArray theirs = net.output(x);
            INDArray ours = victim.trunk().forward(victim.input(raw.data().asFloat(), 8), false).dup();
            double diff = maxAbsDiff(ours, theirs);
            double scale = ours.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-5 * Math.max(1, scale), "largest difference " + diff + " (values up to " + scale + ")");
            net.close();
        }
    }

    @Test
    void residualNetworksAreRefusedWithAReason() {
        try (Encoder e = new Encoder(new EncoderSpec("resnet18", 3, 32, 32, 512, 0, 0, false, null), 1)) {
            IllegalArgumentException why = assertThrows(IllegalArgumentException.class, () -> Dl4jExport.toMultiLayer(e.trunk()));
            assertTrue(why.getMessage().contains("residual"), why.getMessage());
        }
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}

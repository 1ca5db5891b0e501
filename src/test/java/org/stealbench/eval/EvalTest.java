package org.stealbench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.data.Split;
import org.stealbench.data.synthetic.ShapesGenerator;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.NativeBackend;

class EvalTest {

    /** n points in d dimensions, class = sign pattern of a hidden direction per class (linearly separable). */
    static Object[] separable(int n, int d, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] centres = new float[classes][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) (r.nextGaussian() * 3);
            }
        }
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = centres[y[i]][j] + (float) r.nextGaussian() * 0.5f;
            }
        }
        return new Object[] {Nd4j.create(x, new long[] {n, d}, 'c'), y};
    }

    @Test
    void linearProbeLearnsSeparableDataAndNotShuffledLabels() {
        NativeBackend.configure();
        Object[] tr = separable(600, 8, 4, 1);
        Object[] te = separable(200, 8, 4, 1);
        double acc = LinearProbe.accuracy((INDArray) tr[0], (int[]) tr[1], (INDArray) te[0], (int[]) te[1], 4, 1);
        assertTrue(acc > 0.97, "separable: " + acc);
        int[] shuffled = ((int[]) tr[1]).clone();
        SplittableRandom r = new SplittableRandom(4);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        double chance = LinearProbe.accuracy((INDArray) tr[0], shuffled, (INDArray) te[0], (int[]) te[1], 4, 1);
        assertTrue(chance < 0.4, "shuffled labels should give about 25%: " + chance);
    }

    @Test
    void probeSchedulesTrainLongEnoughAndNoLonger() {
        // Fashion-MNIST's 10,000 probe images at batch 256: 39 steps an epoch -> 8,000 steps need 206 epochs
        assertEquals(206, LinearProbe.Schedule.CONVERGED.epochsFor(39));
        assertEquals(LinearProbe.EPOCHS, LinearProbe.Schedule.CONVERGED.epochsFor(100));
        // tiny sets stop at the epoch cap instead of running 8,000 one-step epochs
        assertEquals(LinearProbe.MAX_EPOCHS, LinearProbe.Schedule.CONVERGED.epochsFor(1));
        assertEquals(30, LinearProbe.Schedule.SHORT.epochsFor(39));
    }

    @Test
    void knnOnAToySet() {
        NativeBackend.configure();
        INDArray train = Nd4j.createFromArray(new float[][] {{1, 0}, {0.9f, 0.1f}, {0.8f, 0.1f}, {0, 1}, {0.1f, 0.9f}, {0.2f, 1}});
        int[] labels = {0, 0, 0, 1, 1, 1};
        INDArray test = Nd4j.createFromArray(new float[][] {{5, 0.2f}, {0.1f, 3}, {1, 1.2f}});
        assertEquals(1.0, KnnClassifier.accuracy(train, labels, test, new int[] {0, 1, 1}, 2, 3), 1e-9);
        assertEquals(2.0 / 3, KnnClassifier.accuracy(train, labels, test, new int[] {0, 1, 0}, 2, 3), 1e-9);
        assertEquals(1.0, KnnClassifier.meanCosine(train, train.mul(3)), 1e-6);
    }

    @Test
    void binomialTestAgainstKnownValues() {
        assertEquals(1.0 / 32, Metrics.binomialUpperTail(5, 5, 0.5), 1e-12);
        assertEquals(1.0, Metrics.binomialUpperTail(0, 10, 0.5), 1e-12);
        assertEquals(0.0284439668, Metrics.binomialUpperTail(60, 100, 0.5), 1e-9);
        assertEquals(0.5397946187, Metrics.binomialUpperTail(50, 100, 0.5), 1e-9);
        // far tails, exact values from integer arithmetic (1 - cdf would cancel to 0 here)
        assertEquals(1.0, Metrics.binomialUpperTail(1186, 2000, 0.5) / 4.414876445877628e-17, 1e-9);
        assertEquals(1.0, Metrics.binomialUpperTail(1100, 2000, 0.5) / 4.228544767751963e-06, 1e-9);
        assertEquals(0.0, Metrics.binomialUpperTail(2001, 2000, 0.5));
    }

    @Test
    void watermarkVerifierCountsAndRefusesMismatchedEncoders() {
        NativeBackend.configure();
        var held = ShapesGenerator.generate(Split.TEST, 100, 3);
        Encoder victim = new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 3, 16, 16, null).withWatermark(true), 1);
        WatermarkVerifier.Result r = WatermarkVerifier.verify(victim, victim.watermark(), held, 100, 5);
        assertEquals(100, r.trials());
        assertEquals(r.correct() / 100.0, r.accuracy(), 1e-12);
        assertEquals(Metrics.binomialUpperTail(r.correct(), 100, 0.5), r.pValue(), 1e-12);
        Encoder other = new Encoder(new EncoderSpec("small-cnn", 3, 16, 16, 64, 64, 32, false, null), 2);
        assertThrows(IllegalArgumentException.class, () -> WatermarkVerifier.verify(other, victim.watermark(), held, 10, 1));
    }

    @Test
    void linearCkaIsOneUnderRotationAndScaleAndLowForUnrelatedFeatures() {
        NativeBackend.configure();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 500, 6).subi(0.5);
        assertEquals(1.0, Fidelity.linearCka(x, x), 1e-9);
        INDArray q = org.nd4j.linalg.factory.Nd4j.create(new double[][] {
                {0, 1, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 1}, {0, 0, 1, 0, 0, 0}, {0, 0, 0, 1, 0, 0}, {0, 0, 0, 0, 1, 0}});
        INDArray rotatedScaledShifted = x.mmul(q).muli(3.5).addi(7);
        assertEquals(1.0, Fidelity.linearCka(x, rotatedScaledShifted), 1e-9);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 500, 6);
        double unrelated = Fidelity.linearCka(x, y);
        assertTrue(unrelated < 0.1, "independent features: " + unrelated);
        // hand-computed: x = (1,2,3), y = (1,3,2) -> centred (-1,0,1),(-1,1,0): cross 1, norms 2 and 2
        assertEquals(0.25, Fidelity.linearCka(Nd4j.create(new double[][] {{1}, {2}, {3}}), Nd4j.create(new double[][] {{1}, {3}, {2}})), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Fidelity.linearCka(x, y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 10))));
    }

    @Test
    void aProbeHeadPredictsAndRefusesOtherDimensions() {
        NativeBackend.configure();
        Object[] tr = separable(600, 8, 4, 1);
        Object[] te = separable(200, 8, 4, 1);
        LinearProbe.Head head = LinearProbe.fit((INDArray) tr[0], (int[]) tr[1], 4, 1);
        assertTrue(Metrics.accuracy(head.predict((INDArray) te[0]), (int[]) te[1]) > 0.97);
        assertThrows(IllegalArgumentException.class, () -> head.predict(Nd4j.zeros(DataType.FLOAT, 3, 5)));
    }
}

package org.stealbench.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.train.BatchLoss;
import org.stealbench.model.train.BatchLossTest;

/** Every stealing loss: a value on a hand-computed case, and its gradient against finite differences. */
class StealingLossTest {

    static INDArray rand(long seed, int b, int d) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, b, d).addi(0.05);
    }

    @Test
    void everyLossHasFiniteDifferenceGradients() {
        NativeBackend.configure();
        for (StealingLoss l : StealingLoss.values()) {
            BatchLoss loss = l.create();
            if (loss instanceof PairedContrastiveLoss p && p.usesLabels()) {
                p.setLabels(new int[] {0, 1, 0, 2, 1, 1});
            }
            INDArray s = rand(1, 6, 4);
            INDArray v = rand(2, 6, 4);
            // SoftNN's T = 100 makes its gradients tiny on unit-scale data: scale up so they register.
            if (l == StealingLoss.SOFTNN) {
                s.muli(10);
                v.muli(10);
            }
            BatchLossTest.checkGradient(loss, s, v);
        }
    }

    @Test
    void infoNceOnAHandComputedCase() {
        NativeBackend.configure();
        // s = v = two orthogonal unit rows; with tau = 1 each of the 4 rows sees {0, 1, 0}: log((2 + e) / e).
        INDArray s = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}});
        double l = PairedContrastiveLoss.infoNce(1.0).evaluate(s, s.dup(), s.ulike());
        assertEquals(Math.log((2 + Math.E) / Math.E), l, 1e-12);
    }

    @Test
    void supConWithDistinctLabelsIsInfoNce() {
        NativeBackend.configure();
        INDArray s = rand(3, 5, 4);
        INDArray v = rand(4, 5, 4);
        PairedContrastiveLoss sup = PairedContrastiveLoss.supervised(0.07);
        sup.setLabels(new int[] {4, 0, 3, 1, 2});
        INDArray g1 = s.ulike();
        INDArray g2 = s.ulike();
        assertEquals(PairedContrastiveLoss.infoNce(0.07).evaluate(s, v, g1), sup.evaluate(s, v, g2), 1e-12);
        assertEquals(0, g1.sub(g2).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void wassersteinAndBarlowOnHandComputedCases() {
        NativeBackend.configure();
        // Histograms [1,0] and [0,1]: CDFs [1,1] and [0,1] -> distance 1.
        INDArray s = Nd4j.createFromArray(new double[][] {{2, 0}, {0, 3}});
        INDArray v = Nd4j.createFromArray(new double[][] {{0, 5}, {0, 3}});
        assertEquals(0.5, SameDiffStealingLosses.wasserstein().evaluate(s, v, s.ulike()), 1e-9);
        // Paired Barlow with v = s: C is the correlation matrix of s; two perfectly anti-correlated
        // columns give C = [[1, -1], [-1, 1]] -> 0 + 0.0051 * 2.
        INDArray a = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}});
        assertEquals(0.0051 * 2, SameDiffStealingLosses.barlowPaired().evaluate(a, a.dup(), a.ulike()), 1e-4);
        // The SoftNN of identical, far-apart pairs is ~ -log(1) = 0 (partners at distance 0 dominate).
        INDArray far = Nd4j.createFromArray(new double[][] {{0, 0}, {100, 0}});
        assertEquals(0, SameDiffStealingLosses.softNearestNeighbour().evaluate(far, far.dup(), far.ulike()), 1e-4);
    }

    @Test
    void idsAndDefaults() {
        assertEquals(StealingLoss.SUPCON, StealingLoss.of("SupCon"));
        assertEquals("sgd", StealingLoss.SUPCON.defaultOptimizer());
        assertEquals(256, StealingLoss.INFONCE.defaultBatchSize());
        assertEquals(3e-4, StealingLoss.INFONCE.defaultLearningRate(), 0);
        assertThrows(IllegalArgumentException.class, () -> StealingLoss.of("hinge"));
    }
}

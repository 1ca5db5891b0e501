package org.stealbench.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.NativeBackend;

/** Loss values on hand-computed cases, and every gradient against finite differences. */
public class BatchLossTest {

    public static void checkGradient(BatchLoss loss, INDArray out, INDArray target) {
        INDArray grad = out.ulike();
        loss.evaluate(out, target, grad);
        double eps = 1e-6;
        INDArray scratch = out.ulike();
        for (long i = 0; i < out.length(); i++) {
            double v = out.getDouble(i);
            out.putScalar(i, v + eps);
            double lp = loss.evaluate(out, target, scratch);
            out.putScalar(i, v - eps);
            double lm = loss.evaluate(out, target, scratch);
            out.putScalar(i, v);
            double numeric = (lp - lm) / (2 * eps);
            double a = grad.getDouble(i);
            assertTrue(Math.abs(numeric - a) <= 1e-5 * Math.max(1, Math.abs(numeric)), "element " + i + ": " + a + " vs " + numeric);
        }
    }

    @Test
    void mseValueAndGradient() {
        NativeBackend.configure();
        INDArray out = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
        INDArray tgt = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 4}});
        assertEquals((4 + 9) / 4.0, new MseLoss().evaluate(out, tgt, out.ulike()), 1e-12);
        checkGradient(new MseLoss(), Nd4j.rand(DataType.DOUBLE, 4, 3), Nd4j.rand(DataType.DOUBLE, 4, 3));
    }

    @Test
    void infoNceValueOnATinyCaseAndGradient() {
        NativeBackend.configure();
        // Two orthogonal pairs: logits = [[1/t, 0], [0, 1/t]], loss = log(1 + e^{-1/t}).
        double t = 0.5;
        INDArray out = Nd4j.createFromArray(new double[][] {{2, 0}, {0, 3}});
        INDArray tgt = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}});
        assertEquals(Math.log(1 + Math.exp(-1 / t)), new InfoNceLoss(t).evaluate(out, tgt, out.ulike()), 1e-12);
        checkGradient(new InfoNceLoss(0.07), Nd4j.rand(DataType.DOUBLE, 5, 4).addi(0.1), Nd4j.rand(DataType.DOUBLE, 5, 4));
    }

    @Test
    void infoNceInFloat32AgreesWithFloat64() {
        NativeBackend.configure();
        INDArray out = Nd4j.rand(DataType.DOUBLE, 16, 8);
        INDArray tgt = Nd4j.rand(DataType.DOUBLE, 16, 8);
        INDArray g64 = out.ulike();
        INDArray g32 = Nd4j.create(DataType.FLOAT, 16, 8);
        InfoNceLoss loss = new InfoNceLoss(0.07);
        double l64 = loss.evaluate(out, tgt, g64);
        double l32 = loss.evaluate(out.castTo(DataType.FLOAT), tgt.castTo(DataType.FLOAT), g32);
        assertEquals(l64, l32, 1e-4);
        assertTrue(g64.sub(g32.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() < 1e-4);
    }

    @Test
    void sameDiffLossMatchesTheAnalyticOne() {
        NativeBackend.configure();
        BatchLoss sd = new SameDiffBatchLoss((s, out, tgt) -> s.math().squaredDifference(out, tgt).mean(), true);
        INDArray out = Nd4j.rand(DataType.DOUBLE, 6, 3);
        INDArray tgt = Nd4j.rand(DataType.DOUBLE, 6, 3);
        INDArray g1 = out.ulike();
        INDArray g2 = out.ulike();
        assertEquals(new MseLoss().evaluate(out, tgt, g1), sd.evaluate(out, tgt, g2), 1e-12);
        assertEquals(0, g1.sub(g2).norm2Number().doubleValue(), 1e-12);
        checkGradient(sd, out, tgt);
    }
}

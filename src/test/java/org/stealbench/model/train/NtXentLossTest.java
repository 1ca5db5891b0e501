package org.stealbench.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.NativeBackend;

class NtXentLossTest {

    @Test
    void handComputedValue() {
        NativeBackend.configure();
        // Views equal their partners; rows of different images orthogonal. With tau = 1 each row
        // sees similarities {0, 1, 0} to the other three rows: loss = log((2 + e) / e).
        INDArray out = Nd4j.createFromArray(new double[][] {{3, 0}, {0, 2}, {1, 0}, {0, 5}});
        assertEquals(Math.log((2 + Math.E) / Math.E), new NtXentLoss(1.0).evaluate(out, null, out.ulike()), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(0.5).evaluate(Nd4j.rand(DataType.DOUBLE, 3, 2), null,
                Nd4j.create(DataType.DOUBLE, 3, 2)));
    }

    @Test
    void float32AgreesWithFloat64() {
        NativeBackend.configure();
        Nd4j.getRandom().setSeed(9);
        INDArray out = Nd4j.rand(DataType.DOUBLE, 8, 5);
        INDArray g64 = out.ulike();
        INDArray g32 = Nd4j.create(DataType.FLOAT, 8, 5);
        double l64 = new NtXentLoss(0.07).evaluate(out, null, g64);
        double l32 = new NtXentLoss(0.07).evaluate(out.castTo(DataType.FLOAT), null, g32);
        assertEquals(l64, l32, 1e-4);
        assertEquals(0, g64.sub(g32.castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-4);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        NativeBackend.configure();
        Nd4j.getRandom().setSeed(3);
        BatchLossTest.checkGradient(new NtXentLoss(0.2), Nd4j.rand(DataType.DOUBLE, 6, 5).subi(0.3), null);
        BatchLossTest.checkGradient(new NtXentLoss(0.07), Nd4j.rand(DataType.DOUBLE, 8, 3), null);
    }

    @Test
    void crossEntropyValueAndGradient() {
        NativeBackend.configure();
        INDArray logits = Nd4j.createFromArray(new double[][] {{0, 0}, {Math.log(3), 0}});
        INDArray y = CrossEntropyLoss.oneHot(new int[] {1, 0}, 2, DataType.DOUBLE);
        assertEquals((Math.log(2) + Math.log(4.0 / 3)) / 2, new CrossEntropyLoss().evaluate(logits, y, logits.ulike()), 1e-12);
        BatchLossTest.checkGradient(new CrossEntropyLoss(), Nd4j.rand(DataType.DOUBLE, 5, 3), CrossEntropyLoss.oneHot(new int[] {0, 2, 1, 1, 0}, 3, DataType.DOUBLE));
    }
}

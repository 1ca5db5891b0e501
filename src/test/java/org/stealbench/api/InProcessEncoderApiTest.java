package org.stealbench.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.TestData;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.NativeBackend;

class InProcessEncoderApiTest {

    final ImageDataset images = TestData.random(20, 1, 16, 16, 2, 3);

    Encoder victim() {
        NativeBackend.configure();
        return new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null), 1);
    }

    @Test
    void countsEveryImagePerClientAndRefusesOverBudgetWhole() {
        InProcessEncoderApi api = new InProcessEncoderApi(victim(), 12, false, List.of());
        assertArrayEquals(new long[] {5, 128}, api.query("alice", images.batch(0, 5), 5).shape());
        api.query("alice", images.batch(5, 12), 7);
        api.query("bob", images.batch(0, 3), 3);
        QueryRefusedException e = assertThrows(QueryRefusedException.class, () -> api.query("alice", images.batch(0, 1), 1));
        assertTrue(e.getMessage().contains("budget of 12") && e.getMessage().contains("12 used"), e.getMessage());
        assertThrows(QueryRefusedException.class, () -> api.query("bob", images.batch(0, 10), 10));
        assertEquals(12, api.account("alice").answered());
        assertEquals(1, api.account("alice").refused());
        assertEquals(3, api.account("bob").answered());
        assertEquals(10, api.account("bob").refused());
        assertTrue(api.account("alice").computeSeconds() > 0);
        assertEquals(0, api.account("nobody").answered());
    }

    @Test
    void answersMatchTheEncoderAndDefensesRunInOrder() {
        Encoder v = victim();
        INDArray direct = v.trunk().forward(v.input(images.batch(0, 4), 4), false).dup();
        Defense plusOne = new Defense() {
            public String name() {
                return "plus one";
            }

            public INDArray answer(String client, Request r, INDArray reps, boolean[] flagged) {
                return reps.addi(1);
            }
        };
        Defense timesTwo = new Defense() {
            public String name() {
                return "times two";
            }

            public INDArray answer(String client, Request r, INDArray reps, boolean[] flagged) {
                flagged[1] = true;
                return reps.muli(2);
            }
        };
        InProcessEncoderApi api = new InProcessEncoderApi(v, Long.MAX_VALUE, false, List.of(plusOne, timesTwo));
        INDArray got = api.query("c", images.batch(0, 4), 4);
        assertEquals(0, got.sub(direct.add(1).mul(2)).amaxNumber().doubleValue(), 1e-5);
        assertEquals(1, api.account("c").flagged());
        assertEquals(java.util.BitSet.valueOf(new long[] {0b10}), api.caught("c", 4));
        InProcessEncoderApi proj = new InProcessEncoderApi(v, 100, true, List.of());
        assertEquals(128, proj.outputDim());
        assertArrayEquals(new long[] {2, 128}, proj.query("c", images.batch(0, 2), 2).shape());
        assertThrows(IllegalArgumentException.class, () -> api.query("c", new float[10], 1));
    }
}

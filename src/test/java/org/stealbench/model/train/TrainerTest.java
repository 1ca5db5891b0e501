package org.stealbench.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.nn.Linear;
import org.stealbench.model.nn.Network;
import org.stealbench.model.nn.Relu;
import org.stealbench.model.nn.Sequential;

class TrainerTest {

    @TempDir
    Path tmp;

    /** Regression of a fixed random linear map through a small MLP. */
    static final class Regression implements TrainingTask {
        final Network net = new Network(new Sequential(new Linear(6, 16), new Relu(), new Linear(16, 3)), new long[] {6}, 3);
        final INDArray x;
        final INDArray y;
        final MseLoss loss = new MseLoss();
        int steps;
        Runnable onStep = () -> { };

        Regression() {
            Nd4j.getRandom().setSeed(5);
            x = Nd4j.rand(DataType.FLOAT, 96, 6);
            y = x.mmul(Nd4j.rand(DataType.FLOAT, 6, 3));
        }

        @Override
        public List<Network> networks() {
            return List.of(net);
        }

        @Override
        public int size() {
            return 96;
        }

        @Override
        public double step(int[] idx, long seed) {
            steps++;
            onStep.run();
            INDArray xb = Nd4j.pullRows(x, 1, idx);
            INDArray yb = Nd4j.pullRows(y, 1, idx);
            INDArray out = net.forward(xb, true);
            INDArray g = out.ulike();
            double l = loss.evaluate(out, yb, g);
            net.backward(g);
            return l;
        }
    }

    @Test
    void lossFallsAndEventsComeInOrder() {
        NativeBackend.configure();
        Regression task = new Regression();
        List<TrainEvent> events = new ArrayList<>();
        TrainEvent.Finished f = new Trainer(TrainConfig.adam(30, 16, 1e-2, 0, 1), task).run(events::add, new Cancellation(), null);
        assertEquals(TrainStatus.COMPLETED, f.status());
        assertTrue(events.get(0) instanceof TrainEvent.Started);
        assertTrue(events.get(events.size() - 1) instanceof TrainEvent.Finished);
        List<Double> epochLoss = events.stream().filter(e -> e instanceof TrainEvent.EpochEnd).map(e -> ((TrainEvent.EpochEnd) e).meanLoss()).toList();
        assertEquals(30, epochLoss.size());
        assertTrue(epochLoss.get(29) < epochLoss.get(0) * 0.2, "loss " + epochLoss.get(0) + " -> " + epochLoss.get(29));
        assertEquals(30L * 6 * 16, f.examplesProcessed());
    }

    @Test
    void cancelStopsBeforeTheNextBatch() {
        NativeBackend.configure();
        Regression task = new Regression();
        Cancellation cancel = new Cancellation();
        task.onStep = () -> {
            if (task.steps == 8) {
                cancel.cancel();
            }
        };
        TrainEvent.Finished f = new Trainer(TrainConfig.adam(10, 16, 1e-2, 0, 1), task).run(TrainListener.NONE, cancel, null);
        assertEquals(TrainStatus.CANCELLED, f.status());
        assertEquals(8, task.steps, "the step in flight finishes, no other starts");
    }

    @Test
    void resumeFromACheckpointContinuesTheSameRun() {
        NativeBackend.configure();
        TrainConfig cfg = new TrainConfig(4, 16, 1e-2, 1e-4, "adam", 0, 1, true, 7);
        Regression straight = new Regression();
        new Trainer(cfg, straight).run(TrainListener.NONE, new Cancellation(), null);

        Path ckpt = tmp.resolve("ckpt.zip");
        Regression first = new Regression();
        Cancellation cancel = new Cancellation();
        first.onStep = () -> {
            if (first.steps == 2 * 6 + 3) {
                cancel.cancel(); // stop in epoch 3: epochs 1-2 are checkpointed
            }
        };
        assertEquals(TrainStatus.CANCELLED, new Trainer(cfg, first).run(TrainListener.NONE, cancel, ckpt).status());
        Regression resumed = new Regression();
        List<TrainEvent> events = new ArrayList<>();
        assertEquals(TrainStatus.COMPLETED, new Trainer(cfg, resumed).run(events::add, new Cancellation(), ckpt).status());
        assertEquals(2, ((TrainEvent.Started) events.get(0)).firstEpoch());
        assertEquals(2 * 6, resumed.steps);
        double diff = straight.net.params().values().sub(resumed.net.params().values()).amaxNumber().doubleValue();
        assertEquals(0, diff, 1e-6);
    }

    @Test
    void sgdWithMomentumAlsoLearnsAndADivergingLossFails() {
        NativeBackend.configure();
        Regression task = new Regression();
        TrainConfig sgd = new TrainConfig(20, 16, 0.05, 0, "sgd", 0.9, 0, true, 2);
        List<Double> losses = new ArrayList<>();
        new Trainer(sgd, task).run(e -> {
            if (e instanceof TrainEvent.EpochEnd end) {
                losses.add(end.meanLoss());
            }
        }, new Cancellation(), null);
        assertTrue(losses.get(19) < losses.get(0) * 0.5, losses.toString());
        TrainEvent.Finished f = new Trainer(new TrainConfig(5, 16, 1e6, 0, "sgd", 0.9, 0, false, 2), new Regression())
                .run(TrainListener.NONE, new Cancellation(), null);
        assertEquals(TrainStatus.FAILED, f.status());
        assertTrue(f.message().contains("lower learning rate"), f.message());
    }

    @Test
    void scheduleWarmsUpThenDecaysToZero() {
        TrainConfig c = new TrainConfig(10, 8, 1.0, 0, "adam", 0, 2, true, 1);
        assertEquals(0.05, c.learningRateAt(0, 100, 10), 1e-12); // step 1 of 20 warm-up steps
        assertEquals(1.0, c.learningRateAt(19, 100, 10), 1e-12);
        assertEquals(1.0, c.learningRateAt(20, 100, 10), 1e-12);
        assertEquals(0.5, c.learningRateAt(60, 100, 10), 1e-12);
        assertTrue(c.learningRateAt(99, 100, 10) < 0.001);
    }
}

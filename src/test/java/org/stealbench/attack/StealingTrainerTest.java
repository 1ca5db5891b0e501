package org.stealbench.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stealbench.api.InProcessEncoderApi;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.TestData;
import org.stealbench.model.Architecture;
import org.stealbench.model.Encoder;
import org.stealbench.model.EncoderSpec;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.TrainEvent;
import org.stealbench.model.train.TrainListener;
import org.stealbench.model.train.TrainStatus;

class StealingTrainerTest {

    final ImageDataset images = TestData.random(64, 1, 16, 16, 2, 5);

    InProcessEncoderApi api(long budget) {
        NativeBackend.configure();
        return new InProcessEncoderApi(new Encoder(EncoderSpec.of(Architecture.SMALL_CNN, 1, 16, 16, null), 1), budget, false, List.of());
    }

    StealConfig cfg(boolean requery, int epochs) {
        return new StealConfig("test", 64, "mse", "small-cnn", epochs, 32, 0, null, requery, 3, 1);
    }

    @Test
    void reQueryingRunsIntoTheBudgetAndStopsWithAClearMessageCountingExactly() {
        InProcessEncoderApi api = api(100);
        StealingTrainer.Result r = StealingTrainer.steal(cfg(true, 2), api, images, TrainListener.NONE, new Cancellation());
        assertEquals(TrainStatus.FAILED, r.finished().status());
        assertTrue(r.finished().message().contains("exceed the budget of 100"), r.finished().message());
        assertEquals(96, r.queriesUsed(), "three batches of 32 answered, the fourth refused whole");
        assertEquals(96, api.account("attacker").answered());
        assertEquals(32, api.account("attacker").refused());
    }

    @Test
    void cancelDuringReQueryingLeavesAnExactCount() {
        InProcessEncoderApi api = api(Long.MAX_VALUE);
        Cancellation cancel = new Cancellation();
        StealingTrainer.Result r = StealingTrainer.steal(cfg(true, 5), api, images, e -> {
            if (e instanceof TrainEvent.Progress p && p.epoch() == 1 && p.step() == 0) {
                cancel.cancel();
            }
        }, cancel);
        assertEquals(TrainStatus.CANCELLED, r.finished().status());
        assertEquals(3 * 32, r.queriesUsed(), "epoch 1 (two batches) and one batch of epoch 2");
    }

    @Test
    void queryingOnceCostsOneQueryPerImageWhateverTheEpochs() {
        InProcessEncoderApi api = api(64);
        StealingTrainer.Result r = StealingTrainer.steal(cfg(false, 3), api, images, TrainListener.NONE, new Cancellation());
        assertEquals(TrainStatus.COMPLETED, r.finished().status());
        assertEquals(64, r.queriesUsed());
        assertEquals(3 * 64, cfg(true, 3).queriesNeeded());
    }
}

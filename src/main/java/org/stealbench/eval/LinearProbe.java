package org.stealbench.eval;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.nn.Linear;
import org.stealbench.model.nn.Network;
import org.stealbench.model.train.Cancellation;
import org.stealbench.model.train.CrossEntropyLoss;
import org.stealbench.model.train.TrainConfig;
import org.stealbench.model.train.TrainListener;
import org.stealbench.model.train.Trainer;
import org.stealbench.model.train.TrainingTask;

/**
 * The linear probe of docs/protocol.md: a softmax regression on frozen features, Adam with weight
 * decay 8e-4 on the task's training split, top-1 accuracy on its test split. It is trained to
 * convergence on a fixed schedule: 200 epochs (more for small sets, so that at least 8,000 steps
 * run, up to 1,000 epochs), learning rate 3e-3 decayed to 0 on a cosine. Features are standardised with the training
 * split's mean and deviation first (an affine map, so the classifier family is unchanged; it lets
 * one schedule converge for any encoder). See docs/decisions/0007-linear-probe-to-convergence.md:
 * the earlier 30 epochs at 1e-3 stopped 2-4 points short of the optimum, more for richer features.
 */
public final class LinearProbe {

    public static final int EPOCHS = 200;
    /** Small training sets get more epochs, so every probe takes at least this many Adam steps... */
    public static final int MIN_STEPS = 8000;
    /** ... up to this many epochs (tiny sets: a few thousand full-batch steps are plenty). */
    public static final int MAX_EPOCHS = 1000;
    public static final int BATCH = 256;
    public static final double LR = 3e-3;
    public static final double WEIGHT_DECAY = 8e-4;

    private LinearProbe() {
    }

    /**
     * How long and how fast a probe trains: epochs (at least minSteps steps, at most maxEpochs
     * epochs), Adam's learning rate, cosine decay or constant.
     */
    public record Schedule(int epochs, int minSteps, int maxEpochs, double learningRate, boolean cosine) {
        /** The default: trained to convergence (decision 0007). */
        public static final Schedule CONVERGED = new Schedule(EPOCHS, MIN_STEPS, MAX_EPOCHS, LR, true);
        /**
         * The probe StealBench used before decision 0007 (30 epochs at 1e-3, constant, at least 1,000
         * steps): it stops short of the optimum, and reproduces the PyTorch run's baseline rows
         * (random init, raw pixels) within about a point, so it is kept for comparisons with them.
         */
        public static final Schedule SHORT = new Schedule(30, 1000, MAX_EPOCHS, 1e-3, false);

        int epochsFor(int stepsPerEpoch) {
            return Math.min(maxEpochs, Math.max(epochs, (minSteps + stepsPerEpoch - 1) / stepsPerEpoch));
        }
    }

    /** A trained probe: the training features' standardisation and the softmax regression on top. */
    public record Head(INDArray mean, INDArray std, Network net) {
        /** Predicted classes of features in the same space as the training features. */
        public int[] predict(INDArray x) {
            if (x.size(1) != mean.size(0)) {
                throw new IllegalArgumentException("the probe takes " + mean.size(0) + "-d features, got " + x.size(1));
            }
            return Nd4j.argMax(net.forward(x.subRowVector(mean).diviRowVector(std), false), 1).toIntVector();
        }
    }

    /** Top-1 test accuracy of a probe trained on ({@code trainX}, {@code trainY}). */
    public static double accuracy(INDArray trainX, int[] trainY, INDArray testX, int[] testY, int classes, long seed) {
        return accuracy(trainX, trainY, testX, testY, classes, seed, Schedule.CONVERGED);
    }

    /** Top-1 test accuracy of a probe trained with {@code schedule}. */
    public static double accuracy(INDArray trainX, int[] trainY, INDArray testX, int[] testY, int classes, long seed, Schedule schedule) {
        return Metrics.accuracy(fit(trainX, trainY, classes, seed, schedule).predict(testX), testY);
    }

    /** Trains a probe on frozen features, to convergence. */
    public static Head fit(INDArray trainX, int[] trainY, int classes, long seed) {
        return fit(trainX, trainY, classes, seed, Schedule.CONVERGED);
    }

    /** Trains a probe on frozen features with the given schedule. */
    public static Head fit(INDArray trainX, int[] trainY, int classes, long seed, Schedule schedule) {
        INDArray mean = trainX.mean(0);
        INDArray std = trainX.std(0).addi(1e-6);
        INDArray tr = trainX.subRowVector(mean).diviRowVector(std);
        int d = (int) tr.size(1);
        Network net = new Network(new Linear(d, classes), new long[] {d}, seed);
        INDArray oneHot = CrossEntropyLoss.oneHot(trainY, classes, tr.dataType());
        CrossEntropyLoss ce = new CrossEntropyLoss();
        TrainingTask task = new TrainingTask() {
            @Override
            public List<Network> networks() {
                return List.of(net);
            }

            @Override
            public int size() {
                return trainY.length;
            }

            @Override
            public double step(int[] idx, long s) {
                INDArray x = Nd4j.pullRows(tr, 1, idx);
                INDArray out = net.forward(x, true);
                INDArray g = out.ulike();
                double loss = ce.evaluate(out, Nd4j.pullRows(oneHot, 1, idx), g);
                net.backward(g);
                return loss;
            }
        };
        int batch = Math.min(BATCH, trainY.length);
        int stepsPerEpoch = Math.max(1, trainY.length / batch);
        int epochs = schedule.epochsFor(stepsPerEpoch);
        new Trainer(new TrainConfig(epochs, batch, schedule.learningRate(), WEIGHT_DECAY, "adam", 0, 0, schedule.cosine(), seed), task)
                .run(TrainListener.NONE, new Cancellation(), null);
        return new Head(mean, std, net);
    }
}

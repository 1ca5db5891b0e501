package org.stealbench.eval;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.model.ImageEncoder;

/** Linear-probe and kNN accuracy of an encoder (or of raw pixels) on downstream tasks. */
public final class EncoderEvaluation {

    private EncoderEvaluation() {
    }

    /** One task's figures, accuracies in [0,1]. */
    public record TaskResult(String task, double linear, double knn, int trainImages, int testImages) {
    }

    /** @param encoder null for raw pixels */
    public static List<TaskResult> evaluate(ImageEncoder encoder, List<DownstreamTask> tasks, Features cache, long seed) {
        return evaluate(encoder, tasks, cache, seed, LinearProbe.Solver.LBFGS);
    }

    /** The same with another linear-probe solver (kNN is unaffected). */
    public static List<TaskResult> evaluate(ImageEncoder encoder, List<DownstreamTask> tasks, Features cache, long seed,
                                            LinearProbe.Solver solver) {
        List<TaskResult> out = new ArrayList<>();
        for (DownstreamTask task : tasks) {
            String t = task.name();
            INDArray trX = encoder == null ? Features.pixels(task.train()) : cache.of(encoder, task.train());
            INDArray teX = encoder == null ? Features.pixels(task.test()) : cache.of(encoder, task.test());
            int classes = task.train().numClasses();
            int[] trY = task.train().labels();
            int[] teY = task.test().labels();
            double linear = LinearProbe.accuracy(trX, trY, teX, teY, classes, seed, solver);
            double knn = KnnClassifier.accuracy(trX, trY, teX, teY, classes, KnnClassifier.K);
            out.add(new TaskResult(t, linear, knn, trY.length, teY.length));
        }
        return out;
    }
}

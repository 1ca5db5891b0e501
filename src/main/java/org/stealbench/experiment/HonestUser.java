package org.stealbench.experiment;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stealbench.api.ApiClient;
import org.stealbench.api.EncoderApi;
import org.stealbench.api.QueryRefusedException;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.transform.ImageAdapters;
import org.stealbench.eval.DownstreamTask;
import org.stealbench.eval.Features;
import org.stealbench.eval.LinearProbe;
import org.stealbench.eval.Metrics;
import org.stealbench.model.Encoder;

/**
 * The honest user of docs/protocol.md: a customer with one downstream task, who sends its own
 * images (the honest-user split of the task's dataset) through the API, solving whatever puzzles it
 * sets, fits the linear probe on the answers, and is scored on the task's probe-test images, whose
 * answers also pass the defences (as the reference's legitimate user). Images the API refuses are
 * lost to it: refused training images are left out, refused test images count as wrong.
 */
final class HonestUser {

    static final String KEY = "honest";
    private static final int BATCH = 250;

    private HonestUser() {
    }

    /** Accuracy through the API and accuracy on the victim's undefended representations of the same images. */
    record Outcome(double accuracy, double undefended, ApiClient client) {
    }

    static Outcome run(EncoderApi api, Encoder victim, DownstreamTask task, ImageDataset honestImages, Features cache) {
        int[] shape = api.inputShape();
        ImageDataset train = ImageAdapters.fit(honestImages, shape[0], shape[1], shape[2]);
        ImageDataset test = ImageAdapters.fit(task.test(), shape[0], shape[1], shape[2]);
        ApiClient client = new ApiClient(api, KEY);
        Answers tr = ask(client, train);
        Answers te = ask(client, test);
        int classes = task.train().numClasses();
        double accuracy = 0;
        if (tr.answered() >= 2) {
            int[] trY = pick(train.labels(), tr.ok);
            LinearProbe.Head head = LinearProbe.fit(tr.rows(), trY, classes, 1);
            int[] pred = te.answered() == 0 ? new int[0] : head.predict(te.rows());
            int[] teY = pick(test.labels(), te.ok);
            int correct = 0;
            for (int i = 0; i < pred.length; i++) {
                correct += pred[i] == teY[i] ? 1 : 0;
            }
            accuracy = (double) correct / test.size(); // refused test images count as wrong
        }
        INDArray clean = cache.of(victim, honestImages);
        double undefended = Metrics.accuracy(LinearProbe.fit(clean, honestImages.labels(), classes, 1).predict(cache.of(victim, task.test())),
                task.test().labels());
        return new Outcome(accuracy, undefended, client);
    }

    private record Answers(INDArray all, boolean[] ok) {
        int answered() {
            int n = 0;
            for (boolean b : ok) {
                n += b ? 1 : 0;
            }
            return n;
        }

        INDArray rows() {
            int[] idx = java.util.stream.IntStream.range(0, ok.length).filter(i -> ok[i]).toArray();
            return Nd4j.pullRows(all, 1, idx);
        }
    }

    private static Answers ask(ApiClient client, ImageDataset images) {
        INDArray out = Nd4j.zeros(org.stealbench.model.nn.Precision.type(), images.size(), client.api().outputDim());
        boolean[] ok = new boolean[images.size()];
        for (int from = 0; from < images.size(); from += BATCH) {
            int to = Math.min(images.size(), from + BATCH);
            try {
                out.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()).assign(client.query(images.batch(from, to), to - from));
                Arrays.fill(ok, from, to, true);
            } catch (QueryRefusedException e) {
                // refused: the customer goes without these answers
            }
        }
        return new Answers(out, ok);
    }

    private static int[] pick(int[] labels, boolean[] ok) {
        return java.util.stream.IntStream.range(0, ok.length).filter(i -> ok[i]).map(i -> labels[i]).toArray();
    }
}

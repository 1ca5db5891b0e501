package org.stealbench.experiment;

import org.stealbench.api.ApiClient;
import org.stealbench.api.EncoderApi;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.transform.ImageAdapters;
import org.stealbench.eval.DownstreamTask;
import org.stealbench.eval.Features;
import org.stealbench.eval.LinearProbe;
import org.stealbench.eval.Metrics;
import org.stealbench.model.ImageEncoder;

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

    static Outcome run(EncoderApi api, ImageEncoder victim, DownstreamTask task, ImageDataset honestImages, Features cache) {
        int[] shape = api.inputShape();
        ImageDataset train = ImageAdapters.fit(honestImages, shape[0], shape[1], shape[2]);
        ImageDataset test = ImageAdapters.fit(task.test(), shape[0], shape[1], shape[2]);
        ApiClient client = new ApiClient(api, KEY);
        ApiClient.Answers tr = client.queryRange(train, 0, train.size(), BATCH, () -> false);
        ApiClient.Answers te = client.queryRange(test, 0, test.size(), BATCH, () -> false);
        int classes = task.train().numClasses();
        double accuracy = 0;
        if (tr.indices().length >= 2) {
            LinearProbe.Head head = LinearProbe.fit(tr.answers(), pick(train.labels(), tr.indices()), classes, 1);
            int[] pred = te.answers() == null ? new int[0] : head.predict(te.answers());
            int[] teY = pick(test.labels(), te.indices());
            int correct = 0;
            for (int i = 0; i < pred.length; i++) {
                correct += pred[i] == teY[i] ? 1 : 0;
            }
            accuracy = (double) correct / test.size(); // refused test images count as wrong
        }
        // on the victim's own representations: the same in every run on this victim, so the cache keeps the probe (on disk too)
        double undefended = Metrics.accuracy(cache.probe(victim, honestImages, classes).predict(cache.of(victim, task.test())),
                task.test().labels());
        return new Outcome(accuracy, undefended, client);
    }

    private static int[] pick(int[] labels, int[] indices) {
        return java.util.Arrays.stream(indices).map(i -> labels[i]).toArray();
    }
}

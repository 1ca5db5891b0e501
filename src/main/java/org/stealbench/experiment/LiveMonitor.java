package org.stealbench.experiment;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.data.ImageDataset;
import org.stealbench.eval.DownstreamTask;
import org.stealbench.eval.Features;
import org.stealbench.eval.Fidelity;
import org.stealbench.eval.KnnClassifier;
import org.stealbench.eval.WatermarkVerifier;
import org.stealbench.model.ImageEncoder;

/**
 * Cheap metrics of a stolen encoder while it trains, on fixed small subsets of the protocol's
 * images (never the query images): kNN accuracy on the victim's own task ({@value #KNN_TRAIN}
 * probe-train images as references, {@value #TEST} probe-test images), mean cosine similarity
 * to the victim on {@value #TEST} held-out images, and the victim's watermark through its MLP on
 * {@value #WATERMARK} rotated held-out images, after at most {@value #POINTS} epochs spread over
 * the run ({@link #measuresAfter}). The final evaluation uses the full sets.
 */
public final class LiveMonitor implements AutoCloseable {

    public static final int KNN_TRAIN = 2000;
    public static final int TEST = 1000;
    public static final int WATERMARK = 500;
    /**
     * Live points per run at most: a measurement costs about as much as a demo epoch's training, so
     * a long run is measured after every k-th epoch (k = epochs / {@value}, rounded up) and after
     * its last; the loss is charted after every epoch.
     */
    public static final int POINTS = 16;

    /** Whether the live metrics are measured after (0-based) {@code epoch} of {@code epochs}. */
    public static boolean measuresAfter(int epoch, int epochs) {
        int stride = Math.max(1, (epochs + POINTS - 1) / POINTS);
        return (epoch + 1) % stride == 0 || epoch == epochs - 1;
    }

    private final ImageEncoder victim;
    private final ImageDataset knnTrain;
    private final ImageDataset knnTest;
    private final ImageDataset test;
    private final INDArray victimTest;
    private final int classes;
    /** The embedding view's images (the first {@value #EMBEDDED} held-out ones), the victim's PCA and its points. */
    private final ImageDataset embedded;
    private final org.stealbench.eval.Pca pca;
    private final double[] victimPoints;

    /** Held-out images shown in the embedding view. */
    public static final int EMBEDDED = 300;

    /**
     * @param task    the victim's own task: kNN uses a subset of its probe images
     * @param heldOut the victim's held-out images: fidelity and the watermark use a subset of them
     */
    public LiveMonitor(ImageEncoder victim, DownstreamTask task, ImageDataset heldOut) {
        this.victim = victim;
        this.knnTrain = task.train().slice(0, Math.min(KNN_TRAIN, task.train().size()));
        this.knnTest = task.test().slice(0, Math.min(TEST, task.test().size()));
        this.test = heldOut.slice(0, Math.min(TEST, heldOut.size()));
        this.classes = task.train().numClasses();
        this.victimTest = represent(victim, test);
        this.embedded = heldOut.slice(0, Math.min(EMBEDDED, heldOut.size()));
        float[][] v = rows(victimTest, embedded.size());
        this.pca = v.length >= 2 ? org.stealbench.eval.Pca.fit(v, 2) : null;
        this.victimPoints = pca == null ? new double[0] : pca.project(v);
    }

    /**
     * The copy's and the victim's representations (scaled to length 1) of the embedding view's images
     * on the victim's two principal components, after (0-based) {@code epoch}; null when there are
     * too few images.
     */
    public ExperimentEvent.Embedding embedding(ImageEncoder copy, int epoch) {
        if (pca == null || copy.repDim() != victimTest.size(1)) {
            return null;
        }
        INDArray r = represent(copy, embedded);
        try {
            return new ExperimentEvent.Embedding(epoch, victimPoints.clone(), pca.project(rows(r, embedded.size())),
                    java.util.Arrays.stream(embedded.labels()).toArray(), java.util.List.copyOf(embedded.classNames()));
        } finally {
            r.close();
        }
    }

    /**
     * The first {@code n} rows, each scaled to length 1: representations are compared by their
     * direction (cosine fidelity, cosine kNN), and a copy trained with a contrastive loss matches the
     * victim's directions, not its lengths.
     */
    private static float[][] rows(INDArray m, int n) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            float[] r = m.getRow(i).toFloatVector();
            double norm = 0;
            for (float v : r) {
                norm += v * v;
            }
            float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
            for (int j = 0; j < r.length; j++) {
                r[j] *= scale;
            }
            out[i] = r;
        }
        return out;
    }

    /** kNN accuracy of any encoder with the monitor's images. */
    public double knn(ImageEncoder e) {
        INDArray train = represent(e, knnTrain);
        INDArray tst = represent(e, knnTest);
        try {
            return KnnClassifier.accuracy(train, knnTrain.labels(), tst, knnTest.labels(), classes, KnnClassifier.K);
        } finally {
            train.close();
            tst.close();
        }
    }

    public double cosine(ImageEncoder e) {
        INDArray r = represent(e, test);
        try {
            return Fidelity.meanCosine(r, victimTest);
        } finally {
            r.close();
        }
    }

    /** The victim's watermark in {@code e}, or null if the victim has none or dimensions differ. */
    public WatermarkVerifier.Result watermark(ImageEncoder e) {
        if (victim.watermark() == null || e.repDim() != victim.watermark().inputShape()[0]) {
            return null;
        }
        return WatermarkVerifier.verify(e, victim.watermark(), test, WATERMARK, 7);
    }

    /** All live metrics of {@code stolen} after an epoch. */
    public ExperimentEvent.EpochMetrics measure(ImageEncoder stolen, int epoch, int epochs, double loss) {
        WatermarkVerifier.Result w = watermark(stolen);
        return new ExperimentEvent.EpochMetrics(epoch, epochs, loss, knn(stolen), cosine(stolen),
                w == null ? Double.NaN : w.accuracy(), w == null ? Double.NaN : w.pValue());
    }

    /** Frees the victim's cached representations. */
    @Override
    public void close() {
        victimTest.close();
    }

    private static INDArray represent(ImageEncoder e, ImageDataset ds) {
        return e.represent(Features.fit(e, ds), 250);
    }
}

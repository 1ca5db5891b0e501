package org.stealbench.ssl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.transform.BatchAugmenter;
import org.stealbench.data.transform.Rotations;
import org.stealbench.model.Encoder;
import org.stealbench.model.nn.Network;
import org.stealbench.model.train.CrossEntropyLoss;
import org.stealbench.model.train.NtXentLoss;
import org.stealbench.model.train.TrainingTask;

/**
 * One SimCLR step: two augmented views of every image go through the encoder and projection head
 * as one batch of 2N, NT-Xent on the projections; then, on a fraction of the steps, the same
 * images rotated by random angles go through the encoder and the watermark MLP, whose
 * cross-entropy on "rotated by less than 180 degrees or not" (times its weight) adds to the
 * encoder's gradient and trains the MLP too.
 */
final class SimClrTask implements TrainingTask {

    private final Encoder encoder;
    private final ImageDataset data;
    private final SimClrConfig config;
    private final BatchAugmenter augmenter;
    private final NtXentLoss ntXent;
    private final CrossEntropyLoss crossEntropy = new CrossEntropyLoss();
    private INDArray gradProj;
    private INDArray gradLogits;
    /** Watermark steps and correct rotation predictions in the current epoch. */
    long wmSeen;
    long wmCorrect;
    long imagesProcessed;

    SimClrTask(Encoder encoder, ImageDataset data, SimClrConfig config, BatchAugmenter augmenter) {
        this.encoder = encoder;
        this.data = data;
        this.config = config;
        this.augmenter = augmenter;
        this.ntXent = new NtXentLoss(config.temperature());
    }

    @Override
    public List<Network> networks() {
        List<Network> nets = new ArrayList<>();
        nets.add(encoder.trunk());
        nets.add(encoder.head());
        if (encoder.watermark() != null) {
            nets.add(encoder.watermark());
        }
        return nets;
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public double step(int[] idx, long seed) {
        int n = idx.length;
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        float[] images = data.batch(idx);
        float[] v1 = augmenter.apply(images, n, c, h, w, seed);
        float[] v2 = augmenter.apply(images, n, c, h, w, ~seed);
        float[] both = new float[v1.length * 2];
        System.arraycopy(v1, 0, both, 0, v1.length);
        System.arraycopy(v2, 0, both, v1.length, v2.length);
        INDArray x = encoder.input(both, 2 * n);
        INDArray rep = encoder.trunk().forward(x, true);
        x.close();
        INDArray proj = encoder.head().forward(rep, true);
        if (gradProj == null || !java.util.Arrays.equals(gradProj.shape(), proj.shape())) {
            gradProj = proj.ulike();
        }
        double loss = ntXent.evaluate(proj, null, gradProj);
        encoder.trunk().backward(encoder.head().backwardToInput(gradProj));
        imagesProcessed += 2L * n;
        if (encoder.watermark() != null && new SplittableRandom(seed ^ 0xA5A5L).nextDouble() < config.watermarkFraction()) {
            loss += config.watermarkWeight() * watermarkStep(images, n, c, h, w, seed);
        }
        return loss;
    }

    private double watermarkStep(float[] images, int n, int c, int h, int w, long seed) {
        Rotations.RotationTask task = Rotations.watermarkTask(n, seed ^ 0x77L);
        float[] rotated = Rotations.rotate(images, n, c, h, w, task.anglesDegrees());
        INDArray x = encoder.input(rotated, n);
        INDArray rep = encoder.trunk().forward(x, true);
        x.close();
        INDArray logits = encoder.watermark().forward(rep, true);
        if (gradLogits == null || gradLogits.size(0) != n) {
            gradLogits = logits.ulike();
        }
        INDArray oneHot = CrossEntropyLoss.oneHot(task.labels(), 2, logits.dataType());
        double wl = crossEntropy.evaluate(logits, oneHot, gradLogits);
        oneHot.close();
        int[] predicted = Nd4j.argMax(logits, 1).toIntVector();
        for (int i = 0; i < n; i++) {
            if (predicted[i] == task.labels()[i]) {
                wmCorrect++;
            }
        }
        wmSeen += n;
        gradLogits.muli(config.watermarkWeight());
        encoder.trunk().backward(encoder.watermark().backwardToInput(gradLogits));
        imagesProcessed += n;
        return wl;
    }

    /** Watermark training accuracy since the last call, and resets the counters; NaN if none. */
    double takeWatermarkAccuracy() {
        double acc = wmSeen == 0 ? Double.NaN : (double) wmCorrect / wmSeen;
        wmSeen = 0;
        wmCorrect = 0;
        return acc;
    }
}

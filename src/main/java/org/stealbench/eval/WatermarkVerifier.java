package org.stealbench.eval;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.transform.Rotations;
import org.stealbench.model.ImageEncoder;
import org.stealbench.model.nn.Network;

/**
 * Verifies the rotation watermark in a suspect encoder (docs/protocol.md): held-out images rotated by
 * random angles, the suspect's representations through the victim's watermark MLP, accuracy of
 * telling [0,180) from [180,360), and a one-sided binomial test against 50%.
 */
public final class WatermarkVerifier {

    /** Images verified by default, and the significance level of the verdict. */
    public static final int IMAGES = 2000;
    public static final double ALPHA = 1e-3;

    private WatermarkVerifier() {
    }

    /** The outcome: accuracy, counts, p-value of "no better than chance", and the verdict at {@link #ALPHA}. */
    public record Result(double accuracy, int correct, int trials, double pValue, boolean watermarked) {
        public String verdict() {
            String p = "= " + Metrics.formatP(pValue);
            return watermarked ? "watermark present (p " + p + ")" : "no evidence of the watermark (p " + p + ")";
        }
    }

    public static Result verify(ImageEncoder suspect, Network victimWatermark, ImageDataset heldOut, int images, long seed) {
        long in = victimWatermark.inputShape()[0];
        if (suspect.repDim() != in) {
            throw new IllegalArgumentException("the suspect's representation has " + suspect.repDim()
                    + " dimensions, the victim's watermark MLP takes " + in);
        }
        ImageDataset ds = Features.fit(suspect, heldOut);
        int n = Math.min(images, ds.size());
        Rotations.RotationTask task = Rotations.watermarkTask(n, seed);
        int c = ds.channels();
        int h = ds.height();
        int w = ds.width();
        int correct = 0;
        int batch = 250;
        for (int from = 0; from < n; from += batch) {
            int to = Math.min(n, from + batch);
            float[] angles = java.util.Arrays.copyOfRange(task.anglesDegrees(), from, to);
            float[] rotated = Rotations.rotate(ds.batch(from, to), to - from, c, h, w, angles);
            int[] pred;
            try (INDArray rep = suspect.represent(rotated, to - from)) {
                pred = Nd4j.argMax(victimWatermark.forward(rep, false), 1).toIntVector();
            }
            for (int i = 0; i < pred.length; i++) {
                if (pred[i] == task.labels()[from + i]) {
                    correct++;
                }
            }
        }
        double p = Metrics.binomialUpperTail(correct, n, 0.5);
        return new Result((double) correct / n, correct, n, p, p < ALPHA);
    }
}

package org.stealbench.attack;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stealbench.model.train.BatchLoss;
import org.stealbench.model.train.NtXentLoss;

/**
 * InfoNCE for stealing (docs/protocol.md): stack [s; v] (2B rows), L2-normalise, logits = cosine / tau
 * (tau 0.07); the only positive of s_i is v_i and of v_i is s_i, the other 2B-2 rows are
 * negatives; cross-entropy averaged over the 2B rows. The victim's outputs are constants: only
 * the stolen half's gradient is returned. With labels ({@link #supervised}), every row whose
 * query has the same class is a positive: SupCon, the one loss that uses labels.
 */
public final class PairedContrastiveLoss implements BatchLoss {

    private final NtXentLoss contrastive;
    private final boolean supervised;
    private int[] labels;
    private INDArray stacked;
    private INDArray stackedGrad;

    private PairedContrastiveLoss(double temperature, boolean supervised) {
        this.contrastive = new NtXentLoss(temperature);
        this.supervised = supervised;
    }

    public static PairedContrastiveLoss infoNce(double temperature) {
        return new PairedContrastiveLoss(temperature, false);
    }

    public static PairedContrastiveLoss supervised(double temperature) {
        return new PairedContrastiveLoss(temperature, true);
    }

    public boolean usesLabels() {
        return supervised;
    }

    /** The class labels of the next batch's queries (SupCon only). */
    public void setLabels(int[] labels) {
        this.labels = labels.clone();
    }

    @Override
    public double evaluate(INDArray out, INDArray target, INDArray gradOut) {
        long b = out.size(0);
        if (stacked == null || stacked.size(0) != 2 * b || stacked.dataType() != out.dataType()) {
            stacked = Nd4j.create(out.dataType(), 2 * b, out.size(1));
            stackedGrad = stacked.ulike();
        }
        stacked.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()).assign(out);
        stacked.get(NDArrayIndex.interval(b, 2 * b), NDArrayIndex.all()).assign(target);
        double loss;
        if (supervised) {
            if (labels == null || labels.length != b) {
                throw new IllegalStateException("SupCon needs the batch's " + b + " labels before evaluate");
            }
            loss = contrastive.evaluateWithPositives(stacked, positives((int) b, out.dataType()), stackedGrad);
        } else {
            loss = contrastive.evaluate(stacked, null, stackedGrad);
        }
        gradOut.assign(stackedGrad.get(NDArrayIndex.interval(0, b), NDArrayIndex.all()));
        return loss;
    }

    /** Rows i, j of [s; v] are positives when their queries share a label (i != j); rows sum to 1. */
    private INDArray positives(int b, org.nd4j.linalg.api.buffer.DataType type) {
        int m = 2 * b;
        float[] w = new float[m * m];
        for (int i = 0; i < m; i++) {
            int li = labels[i % b];
            int count = 0;
            for (int j = 0; j < m; j++) {
                if (j != i && labels[j % b] == li) {
                    count++;
                }
            }
            for (int j = 0; j < m; j++) {
                if (j != i && labels[j % b] == li) {
                    w[i * m + j] = 1f / count;
                }
            }
        }
        return Nd4j.create(w, new long[] {m, m}, 'c').castTo(type);
    }
}

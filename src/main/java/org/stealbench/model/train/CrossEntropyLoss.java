package org.stealbench.model.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Softmax cross-entropy of logits [N, K] against one-hot targets [N, K], averaged over rows
 * (torch's cross_entropy); the gradient is (softmax - onehot) / N.
 */
public final class CrossEntropyLoss implements BatchLoss {

    @Override
    public double evaluate(INDArray logits, INDArray oneHot, INDArray gradOut) {
        long n = logits.size(0);
        Nd4j.exec(DynamicCustomOp.builder("softmax").addInputs(logits).addOutputs(gradOut).addIntegerArguments(1).build());
        INDArray picked = gradOut.ulike();
        Nd4j.exec(new MulOp(gradOut, oneHot, picked));
        double loss = 0;
        for (double p : picked.sum(1).toDoubleVector()) {
            loss -= Math.log(Math.max(p, Double.MIN_NORMAL));
        }
        gradOut.subi(oneHot).divi(n);
        return loss / n;
    }

    /** One-hot rows for integer labels. */
    public static INDArray oneHot(int[] labels, int classes, org.nd4j.linalg.api.buffer.DataType type) {
        float[] v = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            v[i * classes + labels[i]] = 1f;
        }
        return Nd4j.create(v, new long[] {labels.length, classes}, 'c').castTo(type);
    }
}

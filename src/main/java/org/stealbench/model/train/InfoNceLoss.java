package org.stealbench.model.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * InfoNCE between outputs and targets, row i's only positive being target row i:
 * z = out/|out|, t = target/|target|, logits = z t^T / tau, cross-entropy with labels 0..N-1
 * (the PyTorch peer's benchmark loss). Analytic gradient:
 * dLogits = (softmax(logits) - I) / N, dz = dLogits t / tau, dOut = (dz - z * rowsum(z * dz)) / |out|.
 */
public final class InfoNceLoss implements BatchLoss {

    private final double temperature;

    public InfoNceLoss(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive");
        }
        this.temperature = temperature;
    }

    @Override
    public double evaluate(INDArray out, INDArray target, INDArray gradOut) {
        long n = out.size(0);
        INDArray norms = out.norm2(1).reshape(n, 1);
        INDArray z = out.divColumnVector(norms);
        INDArray t = target.divColumnVector(target.norm2(1).reshape(n, 1));
        INDArray logits = z.mmul(t.transpose()).divi(temperature);
        // log-softmax per row, stable
        INDArray max = logits.max(1).reshape(n, 1);
        INDArray shifted = logits.subColumnVector(max);
        INDArray exp = Transforms.exp(shifted, true);
        INDArray sumExp = exp.sum(1).reshape(n, 1);
        INDArray logSum = Transforms.log(sumExp, true);
        double loss = logSum.sumNumber().doubleValue() - Nd4j.diag(shifted).sumNumber().doubleValue();
        loss /= n;
        INDArray dLogits = exp.diviColumnVector(sumExp);
        dLogits.subi(Nd4j.eye(n).castTo(dLogits.dataType())).divi(n);
        INDArray dz = dLogits.mmul(t).divi(temperature);
        INDArray proj = z.mul(dz).sum(1).reshape(n, 1);
        gradOut.assign(dz.subi(z.mulColumnVector(proj)).diviColumnVector(norms));
        return loss;
    }
}

package org.stealbench.model.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch loss written as a SameDiff graph: SameDiff differentiates it, so a new loss needs only
 * its forward definition. The graph takes the variable "out" (SameDiff differentiates only with
 * respect to variables, so the batch output is bound to one) and the placeholder "target", and
 * must produce a scalar; it is rebuilt only when the output's shape or type changes.
 */
public final class SameDiffBatchLoss implements BatchLoss {

    /** Builds the scalar loss from the output and target placeholders. */
    @FunctionalInterface
    public interface Definition {
        SDVariable define(SameDiff sd, SDVariable out, SDVariable target);
    }

    private final Definition definition;
    private final boolean usesTarget;
    private SameDiff sd;
    private String lossName;
    private DataType builtFor;
    private long[] builtShape;

    public SameDiffBatchLoss(Definition definition, boolean usesTarget) {
        this.definition = definition;
        this.usesTarget = usesTarget;
    }

    private void build(INDArray outArr, long targetDim) {
        DataType type = outArr.dataType();
        sd = SameDiff.create();
        SDVariable out = sd.var("out", outArr.dup());
        SDVariable target = usesTarget ? sd.placeHolder("target", type, -1, targetDim) : null;
        SDVariable loss = definition.define(sd, out, target);
        lossName = loss.name();
        loss.markAsLoss();
        builtFor = type;
        builtShape = outArr.shape();
    }

    @Override
    public synchronized double evaluate(INDArray out, INDArray target, INDArray gradOut) {
        if (sd == null || builtFor != out.dataType() || !java.util.Arrays.equals(builtShape, out.shape())) {
            build(out, target == null ? 1 : target.size(1));
        }
        sd.getVariable("out").getArr().assign(out);
        Map<String, INDArray> feed = new HashMap<>();
        if (usesTarget) {
            feed.put("target", target);
        }
        OutAndGrad r = sd.calculateGradientsAndOutputs(feed, List.of(lossName), List.of("out"));
        gradOut.assign(r.getGradients().get("out"));
        return r.getOutputs().get(lossName).getDouble(0);
    }
}

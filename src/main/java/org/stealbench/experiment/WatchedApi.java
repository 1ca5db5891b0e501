package org.stealbench.experiment;

import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stealbench.api.Challenge;
import org.stealbench.api.EncoderApi;
import org.stealbench.api.Proof;
import org.stealbench.api.QueryAccount;

/**
 * The attacker's API as a live view watches it: every call goes to the API it wraps; after each
 * answered request, the first {@value #SHOWN} images and their representations go to the listener
 * as an {@link ExperimentEvent.Answered} (copies, so the engine's arrays are not shared).
 */
final class WatchedApi implements EncoderApi {

    /** Images per request shown. */
    static final int SHOWN = 8;

    private final EncoderApi api;
    private final ExperimentListener listener;
    private long answered;

    WatchedApi(EncoderApi api, ExperimentListener listener) {
        this.api = api;
        this.listener = listener;
    }

    @Override
    public INDArray query(String client, float[] images, int n, Proof proof) {
        INDArray out = api.query(client, images, n, proof);
        synchronized (this) {
            answered += n;
            int[] chw = api.inputShape();
            int k = Math.min(SHOWN, n);
            int per = chw[0] * chw[1] * chw[2];
            int dim = (int) out.size(1);
            float[] reps = out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, k), org.nd4j.linalg.indexing.NDArrayIndex.all())
                    .castTo(DataType.FLOAT).dup().reshape((long) k * dim).toFloatVector();
            listener.on(new ExperimentEvent.Answered(client, chw.clone(), Arrays.copyOf(images, k * per), dim, reps, answered));
        }
        return out;
    }

    @Override
    public Challenge challenge(String client, int n) {
        return api.challenge(client, n);
    }

    @Override
    public QueryAccount account(String client) {
        return api.account(client);
    }

    @Override
    public Map<String, Map<String, Double>> defenseState(String client) {
        return api.defenseState(client);
    }

    @Override
    public boolean defended() {
        return api.defended();
    }

    @Override
    public int[] inputShape() {
        return api.inputShape();
    }

    @Override
    public int outputDim() {
        return api.outputDim();
    }

    @Override
    public long budget() {
        return api.budget();
    }
}

package org.stealbench.defense;

import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.api.Defense;

/**
 * Prediction poisoning (the reference's passive defence): Gaussian noise N(mean, sigma) added to
 * every element of every answer. With {@code relative}, mean and sigma are multiplied by each
 * answer's root-mean-square element, so the noise is the same share of every answer. Seeded per
 * client and request, so a run is reproducible.
 */
final class Poisoning implements Defense {

    private final DefenseCatalog.Spec spec;
    private final double mean;
    private final double sigma;
    private final boolean relative;
    private final SplittableRandom random;

    Poisoning(DefenseCatalog.Spec spec, DefenseContext ctx) {
        this.spec = spec;
        this.mean = spec.number("mean");
        this.sigma = spec.number("sigma");
        this.relative = Boolean.parseBoolean(spec.text("relative"));
        this.random = new SplittableRandom(ctx.seed() ^ 0x9E3779B97F4A7C15L);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public INDArray answer(String client, Request request, INDArray reps, boolean[] flagged) {
        int n = (int) reps.size(0);
        int d = (int) reps.size(1);
        float[][] x = reps.castTo(DataType.FLOAT).toFloatMatrix();
        for (int i = 0; i < n; i++) {
            double scale = 1;
            if (relative) {
                double ss = 0;
                for (float v : x[i]) {
                    ss += v * v;
                }
                scale = Math.sqrt(ss / d);
            }
            for (int j = 0; j < d; j++) {
                x[i][j] += (float) (scale * (mean + sigma * Lsh.gaussian(random)));
            }
        }
        return Nd4j.create(x).castTo(reps.dataType());
    }

    @Override
    public Map<String, Double> state(String client) {
        return Map.of();
    }
}

package org.stealbench.eval;

import org.hipparchus.distribution.discrete.BinomialDistribution;

/** Small shared statistics. */
public final class Metrics {

    private Metrics() {
    }

    public static double accuracy(int[] predicted, int[] truth) {
        if (predicted.length != truth.length || truth.length == 0) {
            throw new IllegalArgumentException("need equally many predictions and labels, at least one");
        }
        int ok = 0;
        for (int i = 0; i < truth.length; i++) {
            if (predicted[i] == truth[i]) {
                ok++;
            }
        }
        return (double) ok / truth.length;
    }

    /** One-sided binomial test: P(X >= successes) for X ~ Binomial(trials, p). */
    public static double binomialUpperTail(int successes, int trials, double p) {
        if (successes <= 0) {
            return 1.0;
        }
        if (successes > trials) {
            return 0.0;
        }
        BinomialDistribution b = new BinomialDistribution(trials, p);
        if (successes <= trials * p) {
            return 1.0 - b.cumulativeProbability(successes - 1);
        }
        // above the mean, 1 - cdf cancels to 0 below ~1e-16: sum the tail's terms relative to the first one instead
        double first = b.logProbability(successes);
        double sum = 0;
        for (int i = successes; i <= trials; i++) {
            double term = Math.exp(b.logProbability(i) - first);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return Math.exp(first + Math.log(sum));
    }

    /** A p-value for tables: two significant digits, or "< 1e-300" below double precision (never "0"). */
    public static String formatP(double p) {
        return p < 1e-300 ? "< 1e-300" : String.format(java.util.Locale.ROOT, "%.2g", p);
    }
}

package org.stealbench.eval;

import java.util.Arrays;
import org.hipparchus.distribution.continuous.NormalDistribution;

/**
 * The Shapiro-Wilk test of normality, W and its p-value, by Royston's approximations (Royston 1992,
 * "Approximating the Shapiro-Wilk W-test for non-normality", Statistics and Computing 2; and 1995,
 * Applied Statistics algorithm AS R94), the method R's {@code shapiro.test} and SciPy's
 * {@code stats.shapiro} use, for 3 to 5,000 values. Hipparchus and Commons Math have no
 * Shapiro-Wilk test; Hipparchus gives the normal distribution. Tested against published values
 * (ShapiroWilkTest).
 */
public final class ShapiroWilk {

    /** Largest sample the approximations are validated for. */
    public static final int MAX_N = 5000;

    private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);
    // polynomial coefficients of AS R94, lowest order first
    private static final double[] C1 = {0.0, 0.221157, -0.147981, -2.071190, 4.434685, -2.706056};
    private static final double[] C2 = {0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633};
    private static final double[] C3 = {0.5440, -0.39978, 0.025054, -6.714e-4};
    private static final double[] C4 = {1.3822, -0.77857, 0.062767, -0.0020322};
    private static final double[] C5 = {-1.5861, -0.31082, -0.083751, 0.0038915};
    private static final double[] C6 = {-0.4803, -0.082676, 0.0030302};
    private static final double[] G = {-2.273, 0.459};

    private ShapiroWilk() {
    }

    /** W in (0, 1] (1: the sample's order statistics lie on a line against normal scores) and the p-value of normality. */
    public record Result(double w, double pValue, int n) {
    }

    public static Result test(double[] sample) {
        int n = sample.length;
        if (n < 3 || n > MAX_N) {
            throw new IllegalArgumentException("Shapiro-Wilk needs 3 to " + MAX_N + " values, got " + n);
        }
        double[] x = sample.clone();
        Arrays.sort(x);
        double range = x[n - 1] - x[0];
        if (!(range > 0)) {
            throw new IllegalArgumentException("Shapiro-Wilk needs values that are not all equal");
        }
        double[] a = coefficients(n);
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double ssq = 0;
        double num = 0;
        for (int i = 0; i < n; i++) {
            double d = (x[i] - mean) / range; // scaled, as AS R94 does, against round-off
            ssq += d * d;
            num += a[i] * d;
        }
        double w = Math.min(1.0, num * num / ssq);
        return new Result(w, pValue(w, n), n);
    }

    /** The coefficients a_1..a_n (antisymmetric) of AS R94. */
    static double[] coefficients(int n) {
        double[] a = new double[n];
        if (n == 3) {
            a[0] = -Math.sqrt(0.5);
            a[2] = Math.sqrt(0.5);
            return a;
        }
        double[] m = new double[n];
        double summ2 = 0;
        for (int i = 0; i < n; i++) {
            m[i] = NORMAL.inverseCumulativeProbability((i + 1 - 0.375) / (n + 0.25));
            summ2 += m[i] * m[i];
        }
        double ssumm2 = Math.sqrt(summ2);
        double rsn = 1 / Math.sqrt(n);
        double an = m[n - 1] / ssumm2 + poly(C1, rsn);
        int fixed;
        double fac;
        if (n > 5) {
            double an1 = m[n - 2] / ssumm2 + poly(C2, rsn);
            fac = Math.sqrt((summ2 - 2 * m[n - 1] * m[n - 1] - 2 * m[n - 2] * m[n - 2]) / (1 - 2 * an * an - 2 * an1 * an1));
            a[n - 2] = an1;
            a[1] = -an1;
            fixed = 2;
        } else {
            fac = Math.sqrt((summ2 - 2 * m[n - 1] * m[n - 1]) / (1 - 2 * an * an));
            fixed = 1;
        }
        a[n - 1] = an;
        a[0] = -an;
        for (int i = fixed; i < n - fixed; i++) {
            a[i] = m[i] / fac;
        }
        return a;
    }

    static double pValue(double w, int n) {
        if (n == 3) {
            double p = 6 / Math.PI * (Math.asin(Math.sqrt(w)) - Math.PI / 3);
            return Math.max(0, Math.min(1, p));
        }
        double w1 = Math.log(1 - w);
        double m;
        double s;
        if (n <= 11) {
            double gamma = poly(G, n);
            if (w1 >= gamma) {
                return 1e-99;
            }
            w1 = -Math.log(gamma - w1);
            m = poly(C3, n);
            s = Math.exp(poly(C4, n));
        } else {
            double ln = Math.log(n);
            m = poly(C5, ln);
            s = Math.exp(poly(C6, ln));
        }
        return 1 - NORMAL.cumulativeProbability((w1 - m) / s);
    }

    private static double poly(double[] c, double x) {
        double r = 0;
        for (int i = c.length - 1; i >= 0; i--) {
            r = r * x + c[i];
        }
        return r;
    }
}

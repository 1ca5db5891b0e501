package org.stealbench.eval;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS (Nocedal and Wright, Numerical Optimization, algorithm 7.5 with the two-loop
 * recursion 7.4) with a backtracking Armijo line search, for smooth strongly convex objectives
 * such as the L2-regularised softmax regression of {@link LinearProbe}: there every step keeps
 * s'y > 0, so no curvature condition is needed. Vectors are plain double arrays: the probe has a
 * thousand-odd parameters, where each ND4J call cost more than its arithmetic (the two-loop
 * recursion alone took about 4 ms an iteration that way). Why this is written here rather than
 * taken from a library: docs/decisions/0011-fast-linear-probe.md.
 */
public final class Lbfgs {

    /** An objective: writes the gradient at {@code x} into {@code grad} and returns the value. */
    @FunctionalInterface
    public interface Objective {
        double evaluate(double[] x, double[] grad);
    }

    /** Where the search stopped: the point's value, gradient max-norm, iterations and objective evaluations. */
    public record Result(double value, double gradientNorm, int iterations, int evaluations, boolean converged) {
    }

    private static final int MEMORY = 10;
    private static final double ARMIJO = 1e-4;

    private Lbfgs() {
    }

    /**
     * Minimises from {@code x} (updated in place) until the gradient's largest entry is below
     * {@code tolerance}, the value stops changing (at double precision), or {@code maxIterations} pass.
     */
    public static Result minimize(Objective f, double[] x, double tolerance, int maxIterations) {
        int n = x.length;
        double[] g = new double[n];
        double fx = f.evaluate(x, g);
        int evals = 1;
        Deque<double[][]> history = new ArrayDeque<>(); // {s, y, {rho}}, newest last
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        int it = 0;
        double gnorm = amax(g);
        while (gnorm > tolerance && it < maxIterations) {
            double[] d = direction(g, history);
            double slope = dot(d, g);
            if (slope >= 0) { // not a descent direction (round-off): restart from steepest descent
                history.clear();
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i];
                }
                slope = -dot(g, g);
            }
            double step = it == 0 && history.isEmpty() ? Math.min(1.0, 1.0 / Math.max(1e-12, Math.sqrt(dot(g, g)))) : 1.0;
            double fNew;
            while (true) {
                for (int i = 0; i < n; i++) {
                    xNew[i] = x[i] + step * d[i];
                }
                fNew = f.evaluate(xNew, gNew);
                evals++;
                if (fNew <= fx + ARMIJO * step * slope || step < 1e-20) {
                    break;
                }
                step *= 0.5;
            }
            double[] s = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }
            double sy = dot(s, y);
            if (sy > 1e-300) {
                history.addLast(new double[][] {s, y, {1.0 / sy}});
                if (history.size() > MEMORY) {
                    history.removeFirst();
                }
            }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            boolean stalled = fNew >= fx || fx - fNew <= 1e-15 * Math.abs(fx); // no progress left at double precision
            fx = fNew;
            it++;
            gnorm = amax(g);
            if (stalled) {
                break;
            }
        }
        return new Result(fx, gnorm, it, evals, gnorm <= tolerance);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double amax(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** The two-loop recursion: -H g with H the limited-memory inverse Hessian, scaled by s'y / y'y. */
    private static double[] direction(double[] g, Deque<double[][]> history) {
        double[] q = g.clone();
        int m = history.size();
        double[] alpha = new double[m];
        double[][][] pairs = history.toArray(new double[0][][]);
        for (int i = m - 1; i >= 0; i--) {
            alpha[i] = pairs[i][2][0] * dot(pairs[i][0], q);
            axpy(-alpha[i], pairs[i][1], q);
        }
        if (m > 0) {
            double[][] last = pairs[m - 1];
            double scale = dot(last[0], last[1]) / dot(last[1], last[1]);
            for (int j = 0; j < q.length; j++) {
                q[j] *= scale;
            }
        }
        for (int i = 0; i < m; i++) {
            double beta = pairs[i][2][0] * dot(pairs[i][1], q);
            axpy(alpha[i] - beta, pairs[i][0], q);
        }
        for (int j = 0; j < q.length; j++) {
            q[j] = -q[j];
        }
        return q;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }
}

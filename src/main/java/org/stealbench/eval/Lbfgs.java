package org.stealbench.eval;

import java.util.ArrayDeque;
import java.util.Deque;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Limited-memory BFGS (Nocedal and Wright, Numerical Optimization, algorithm 7.5 with the two-loop
 * recursion 7.4) with a backtracking Armijo line search, for smooth strongly convex objectives
 * such as the L2-regularised softmax regression of {@link LinearProbe}: there every step keeps
 * s'y > 0, so no curvature condition is needed. Vectors are double-precision ND4J arrays; why
 * this is written here rather than taken from a library: docs/decisions/0011-fast-linear-probe.md.
 */
public final class Lbfgs {

    /** An objective: writes the gradient at {@code x} into {@code grad} and returns the value. */
    @FunctionalInterface
    public interface Objective {
        double evaluate(INDArray x, INDArray grad);
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
    public static Result minimize(Objective f, INDArray x, double tolerance, int maxIterations) {
        INDArray g = x.ulike();
        double fx = f.evaluate(x, g);
        int evals = 1;
        Deque<INDArray[]> history = new ArrayDeque<>(); // {s, y} pairs, newest last
        Deque<Double> rhos = new ArrayDeque<>();
        INDArray xNew = x.ulike();
        INDArray gNew = x.ulike();
        int it = 0;
        double gnorm = g.amaxNumber().doubleValue();
        while (gnorm > tolerance && it < maxIterations) {
            INDArray d = direction(g, history, rhos);
            double slope = dot(d, g);
            if (slope >= 0) { // not a descent direction (round-off): restart from steepest descent
                history.clear();
                rhos.clear();
                d = g.neg();
                slope = -dot(g, g);
            }
            double step = it == 0 && history.isEmpty() ? Math.min(1.0, 1.0 / Math.max(1e-12, g.norm2Number().doubleValue())) : 1.0;
            double fNew;
            while (true) {
                xNew.assign(x).addi(d.mul(step));
                fNew = f.evaluate(xNew, gNew);
                evals++;
                if (fNew <= fx + ARMIJO * step * slope || step < 1e-20) {
                    break;
                }
                step *= 0.5;
            }
            INDArray s = xNew.sub(x);
            INDArray y = gNew.sub(g);
            double sy = dot(s, y);
            if (sy > 1e-300) {
                history.addLast(new INDArray[] {s, y});
                rhos.addLast(1.0 / sy);
                if (history.size() > MEMORY) {
                    history.removeFirst();
                    rhos.removeFirst();
                }
            }
            x.assign(xNew);
            g.assign(gNew);
            boolean stalled = fNew >= fx || fx - fNew <= 1e-15 * Math.abs(fx); // no progress left at double precision
            fx = fNew;
            it++;
            gnorm = g.amaxNumber().doubleValue();
            if (stalled) {
                break;
            }
        }
        return new Result(fx, gnorm, it, evals, gnorm <= tolerance);
    }

    static double dot(INDArray a, INDArray b) {
        return Nd4j.getBlasWrapper().dot(a, b);
    }

    /** The two-loop recursion: -H g with H the limited-memory inverse Hessian, scaled by s'y / y'y. */
    private static INDArray direction(INDArray g, Deque<INDArray[]> history, Deque<Double> rhos) {
        INDArray q = g.dup();
        int m = history.size();
        double[] alpha = new double[m];
        INDArray[][] pairs = history.toArray(new INDArray[0][]);
        Double[] rho = rhos.toArray(new Double[0]);
        for (int i = m - 1; i >= 0; i--) {
            alpha[i] = rho[i] * dot(pairs[i][0], q);
            q.subi(pairs[i][1].mul(alpha[i]));
        }
        if (m > 0) {
            INDArray[] last = pairs[m - 1];
            q.muli(dot(last[0], last[1]) / dot(last[1], last[1]));
        }
        for (int i = 0; i < m; i++) {
            double beta = rho[i] * dot(pairs[i][1], q);
            q.addi(pairs[i][0].mul(alpha[i] - beta));
        }
        return q.negi();
    }
}

package org.stealbench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.NativeBackend;
import org.stealbench.model.train.CrossEntropyLoss;

/** The L-BFGS probe: its objective's gradient, the solver on known problems, agreement with the Adam probe. */
class LinearProbeSolverTest {

    @BeforeAll
    static void backend() {
        NativeBackend.configure();
    }

    @Test
    void probeObjectiveGradientMatchesFiniteDifferences() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 40, 5);
        int[] y = new int[40];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3;
        }
        INDArray oneHot = CrossEntropyLoss.oneHot(y, 3, DataType.DOUBLE);
        Lbfgs.Objective f = LinearProbe.objective(x, oneHot);
        double[] theta = Nd4j.randn(DataType.DOUBLE, 18).muli(0.5).toDoubleVector();
        double[] grad = new double[18];
        f.evaluate(theta, grad);
        double[] scratch = new double[18];
        double h = 1e-6;
        for (int i = 0; i < theta.length; i++) {
            double[] plus = theta.clone();
            plus[i] += h;
            double[] minus = theta.clone();
            minus[i] -= h;
            double numeric = (f.evaluate(plus, scratch) - f.evaluate(minus, scratch)) / (2 * h);
            assertEquals(numeric, grad[i], 1e-7, "component " + i);
        }
        // at theta = 0 the value is log(classes)
        assertEquals(Math.log(3), f.evaluate(new double[18], scratch), 1e-12);
    }

    @Test
    void probeObjectiveReadsTheCallersArrayOrACopyAlikeAndFreesOnlyItsOwn() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 30, 4);
        int[] y = new int[30];
        for (int i = 0; i < y.length; i++) {
            y[i] = (i * 7) % 3;
        }
        INDArray oneHot = CrossEntropyLoss.oneHot(y, 3, DataType.DOUBLE);
        double[] theta = Nd4j.randn(DataType.DOUBLE, 15).toDoubleVector();
        double[] grad = new double[15];
        double value;
        try (LinearProbe.Objective f = LinearProbe.objective(x, oneHot)) {
            value = f.evaluate(theta, grad);
        }
        assertFalse(x.wasClosed(), "the caller's array is the caller's to free");
        assertFalse(oneHot.wasClosed());
        // the same values as an f-order array, a view into a wider one and in float: each copied, same objective
        INDArray wide = Nd4j.zeros(DataType.DOUBLE, 30, 6);
        wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 5)).assign(x);
        INDArray[] forms = {x.dup('f'), wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 5)),
            x.castTo(DataType.FLOAT)};
        for (INDArray form : forms) {
            double[] g = new double[15];
            try (LinearProbe.Objective f = LinearProbe.objective(form, oneHot.dup('f'))) {
                double v = f.evaluate(theta, g);
                double tol = form.dataType() == DataType.FLOAT ? 1e-5 : 1e-12;
                assertEquals(value, v, tol);
                for (int j = 0; j < g.length; j++) {
                    assertEquals(grad[j], g[j], tol, "component " + j);
                }
            }
            assertFalse(form.wasClosed());
        }
    }

    @Test
    void lbfgsFindsTheMinimumOfAnIllConditionedQuadratic() {
        double[] scale = {1, 10, 100, 1000, 1e4};
        double[] centre = {3, -2, 0.5, 7, -1};
        double[] x = new double[5];
        Lbfgs.Result r = Lbfgs.minimize((p, g) -> {
            double v = 0;
            for (int i = 0; i < p.length; i++) {
                double diff = p[i] - centre[i];
                g[i] = scale[i] * diff;
                v += 0.5 * scale[i] * diff * diff;
            }
            return v;
        }, x, 1e-7, 500);
        assertTrue(r.converged(), r.toString());
        for (int i = 0; i < 5; i++) {
            assertEquals(centre[i], x[i], 1e-7 / scale[i] * 1.01);
        }
    }

    @Test
    void theProbeReachesAStationaryPointAndAgreesWithAdam() {
        Object[] all = EvalTest.separable(900, 8, 4, 3);
        INDArray allX = (INDArray) all[0];
        INDArray trX = allX.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 600), org.nd4j.linalg.indexing.NDArrayIndex.all());
        Object[] te = {allX.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(600, 900), org.nd4j.linalg.indexing.NDArrayIndex.all())};
        // noisy labels so the optimum is not at infinity and the two solvers can disagree
        int[] y = java.util.Arrays.copyOf((int[]) all[1], 600);
        for (int i = 0; i < y.length; i += 5) {
            y[i] = (y[i] + 1) % 4;
        }
        LinearProbe.Head lbfgs = LinearProbe.fit(trX, y, 4, 1);
        Lbfgs.Result r = LinearProbe.lastLbfgs();
        assertTrue(r.converged() && r.gradientNorm() <= LinearProbe.TOLERANCE, r.toString());
        LinearProbe.Head adam = LinearProbe.fit(trX, y, 4, 1, LinearProbe.Schedule.CONVERGED);
        int[] a = lbfgs.predict((INDArray) te[0]);
        int[] b = adam.predict((INDArray) te[0]);
        assertTrue(Metrics.accuracy(a, b) >= 0.99, "the two probes' predictions agree on " + Metrics.accuracy(a, b));
        // and the optimum's value is no larger than Adam's end point
        INDArray z = trX.castTo(DataType.DOUBLE).subRowVector(lbfgs.mean()).diviRowVector(lbfgs.std());
        Lbfgs.Objective f = LinearProbe.objective(z, CrossEntropyLoss.oneHot(y, 4, DataType.DOUBLE));
        double[] g = new double[36];
        double atLbfgs = f.evaluate(Nd4j.concat(0, lbfgs.weights().ravel(), lbfgs.bias()).toDoubleVector(), g);
        INDArray zAdam = trX.castTo(DataType.DOUBLE).subRowVector(adam.mean().castTo(DataType.DOUBLE)).diviRowVector(adam.std().castTo(DataType.DOUBLE));
        Lbfgs.Objective fa = LinearProbe.objective(zAdam, CrossEntropyLoss.oneHot(y, 4, DataType.DOUBLE));
        double atAdam = fa.evaluate(Nd4j.concat(0, adam.weights().ravel(), adam.bias()).castTo(DataType.DOUBLE).toDoubleVector(), g);
        // Adam's decaying steps stop short of the optimum: its end point is never lower than L-BFGS's
        assertTrue(atLbfgs <= atAdam, atLbfgs + " vs Adam's " + atAdam);
    }

    @Test
    void aFittedHeadIsTheOptimumAndANudgedOrForeignOneIsNot() {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, 90, 6);
        int[] y = new int[90];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3;
            x.putScalar(i, y[i], x.getDouble(i, y[i]) + 2); // separable enough to have a sharp optimum
        }
        LinearProbe.Head head = LinearProbe.fit(x, y, 3, 0);
        assertTrue(LinearProbe.isOptimum(head, x, y, 3));
        // written out and read back: the same head, still the optimum
        LinearProbe.Head back = LinearProbe.Head.of(head.flat(), 6, 3);
        assertEquals(head.weights(), back.weights());
        assertEquals(head.std(), back.std());
        assertTrue(LinearProbe.isOptimum(back, x, y, 3));
        // one weight moved by 0.01: the gradient is far above the tolerance
        double[] nudged = head.flat();
        nudged[2 * 6 + 4] += 0.01;
        assertFalse(LinearProbe.isOptimum(LinearProbe.Head.of(nudged, 6, 3), x, y, 3));
        // other labels, or other features (another standardisation), or another class count: not this problem's optimum
        int[] shifted = new int[90];
        for (int i = 0; i < y.length; i++) {
            shifted[i] = (y[i] + 1) % 3;
        }
        assertFalse(LinearProbe.isOptimum(head, x, shifted, 3));
        assertFalse(LinearProbe.isOptimum(head, x.mul(1.5), y, 3));
        assertFalse(LinearProbe.isOptimum(head, x, y, 4));
    }
}

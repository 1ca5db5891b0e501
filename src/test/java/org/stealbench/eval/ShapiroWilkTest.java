package org.stealbench.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Shapiro-Wilk W and p against published values and SciPy's (same algorithm, AS R94). */
class ShapiroWilkTest {

    @Test
    void weightsOfElevenMenFromShapiroAndWilk1965() {
        // Shapiro & Wilk (1965), Biometrika 52, the weights of 11 men: W = 0.79 in the paper;
        // R's shapiro.test gives W = 0.78881, p-value = 0.006704
        ShapiroWilk.Result r = ShapiroWilk.test(new double[] {148, 154, 158, 160, 161, 162, 166, 170, 182, 195, 236});
        assertEquals(0.78881, r.w(), 1e-5);
        assertEquals(0.006704, r.pValue(), 1e-6);
    }

    @Test
    void scipysPublishedTestSample() {
        // SciPy's test suite (test_morestats, TestShapiro): w = 0.90047299861907959, pw = 0.042089745402336121
        double[] x1 = {0.11, 7.87, 4.61, 10.14, 7.95, 3.14, 0.46, 4.43, 0.21, 4.75, 0.71, 1.52, 3.24, 0.93, 0.42, 4.97, 9.53, 4.55, 0.47, 6.66};
        ShapiroWilk.Result r = ShapiroWilk.test(x1);
        assertEquals(0.90047299861907959, r.w(), 1e-6);
        assertEquals(0.042089745402336121, r.pValue(), 1e-6);
    }

    @Test
    void smallAndLargeSamplesAgainstScipy() {
        // scipy.stats.shapiro 1.17.1 on the same numbers
        ShapiroWilk.Result three = ShapiroWilk.test(new double[] {1, 2, 4});
        assertEquals(0.9642857142857142, three.w(), 1e-12);
        assertEquals(0.6368868450289689, three.pValue(), 1e-9);
        ShapiroWilk.Result five = ShapiroWilk.test(new double[] {2.1, 3.5, 1.2, 8.8, 4.0});
        assertEquals(0.8746791292823811, five.w(), 1e-6);
        assertEquals(0.28589087685636116, five.pValue(), 1e-5);
        double[] sq = new double[300];
        for (int i = 1; i <= 300; i++) {
            double u = ((i * 7919) % 1000) / 1000.0;
            sq[i - 1] = u * u;
        }
        ShapiroWilk.Result skewed = ShapiroWilk.test(sq);
        assertEquals(0.8970872759462604, skewed.w(), 1e-6);
        assertEquals(2.1186137473657203e-13, skewed.pValue(), 1e-14);
        var normal = new org.hipparchus.distribution.continuous.NormalDistribution(0, 1);
        double[] nn = new double[500];
        for (int i = 1; i <= 500; i++) {
            nn[i - 1] = normal.inverseCumulativeProbability((i - 0.5) / 500) + 0.1 * Math.sin(i);
        }
        ShapiroWilk.Result near = ShapiroWilk.test(nn);
        assertEquals(0.9996067268829697, near.w(), 1e-6);
        assertTrue(near.pValue() > 0.999);
    }

    @Test
    void refusesWhatItCannotTest() {
        assertThrows(IllegalArgumentException.class, () -> ShapiroWilk.test(new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> ShapiroWilk.test(new double[] {3, 3, 3, 3}));
        assertThrows(IllegalArgumentException.class, () -> ShapiroWilk.test(new double[ShapiroWilk.MAX_N + 1]));
    }
}

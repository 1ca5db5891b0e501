package org.stealbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolesTest {

    /** 4,000 images of 10 classes stored class by class, as an image folder is read. */
    private static int[] classOrdered(int perClass, int classes) {
        int[] l = new int[perClass * classes];
        for (int i = 0; i < l.length; i++) {
            l[i] = i / perClass;
        }
        return l;
    }

    @Test
    void aDrawFromAClassOrderedSetTakesEveryClassInProportion() {
        int[] labels = classOrdered(400, 10);
        int[] draw = Roles.stratified(labels, Roles.range(labels.length), 2000, 7);
        int[] counts = new int[10];
        for (int i : draw) {
            counts[labels[i]]++;
        }
        for (int c = 0; c < 10; c++) {
            // every class within 1% of its share (200 of 2,000)
            assertEquals(200, counts[c], 2000 * 0.01, "class " + c + ": " + Arrays.toString(counts));
        }
        assertEquals(2000, Arrays.stream(draw).distinct().count());
        assertTrue(isSorted(draw));
    }

    @Test
    void unevenClassesKeepTheirSharesAndSmallerDrawsNestInLargerOnes() {
        int[] labels = new int[3000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 2000 ? 0 : i < 2900 ? 1 : 2; // 2000 / 900 / 100
        }
        int[] big = Roles.stratified(labels, Roles.range(labels.length), 600, 3);
        int[] small = Roles.stratified(labels, Roles.range(labels.length), 150, 3);
        int[] counts = new int[3];
        for (int i : big) {
            counts[labels[i]]++;
        }
        assertArrayEquals(new int[] {400, 180, 20}, counts);
        Set<Integer> b = new HashSet<>();
        Arrays.stream(big).forEach(b::add);
        for (int i : small) {
            assertTrue(b.contains(i), "a smaller budget takes a subset of a larger one");
        }
        assertArrayEquals(big, Roles.stratified(labels, Roles.range(labels.length), 600, 3), "seeded: the same draw again");
        assertTrue(!Arrays.equals(big, Roles.stratified(labels, Roles.range(labels.length), 600, 4)), "another seed draws others");
    }

    @Test
    void aLayoutSplitsEveryImageIntoDisjointRoles() {
        int[] train = classOrdered(300, 10);
        int[] test = classOrdered(100, 10);
        int[] victim = Roles.victimTraining(train, 1000, 1);
        for (int[] vt : new int[][] {victim, null}) {
            Roles.Layout l = Roles.layout(train, test, vt);
            assertTrue(Roles.disjoint(l.victimTrain(), l.honest(), l.probeTrain(), l.poolTrain()));
            assertTrue(Roles.disjoint(l.probeTest(), l.heldOut(), l.poolTest()));
            assertEquals(train.length, l.victimTrain().length + l.honest().length + l.probeTrain().length + l.poolTrain().length,
                    "every training image has a role");
            assertEquals(test.length, l.probeTest().length + l.heldOut().length + l.poolTest().length, "every test image has a role");
            assertTrue(l.probeTrain().length > 0 && l.probeTest().length > 0 && l.poolSize() > 0);
            assertEquals(vt != null, l.heldOut().length > 0, "held-out images only in the victim's dataset");
        }
        assertThrows(DatasetException.class, () -> Roles.layout(train, test, new int[] {train.length}));
    }

    private static boolean isSorted(int[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] <= a[i - 1]) {
                return false;
            }
        }
        return true;
    }
}

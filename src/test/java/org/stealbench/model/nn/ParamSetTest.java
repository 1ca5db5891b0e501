package org.stealbench.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ParamSetTest {

    @Test
    void viewsShareTheFlatVectorsAndInitIsSeeded() {
        ParamSet p = new ParamSet();
        Param a = p.declare("a", new long[] {2, 3}, Param.Init.uniformFanIn(4));
        Param b = p.declare("b", new long[] {4}, Param.Init.constant(1f));
        p.allocate(7);
        assertEquals(10, p.size());
        b.value().putScalar(2, 5f);
        assertEquals(5f, p.values().getFloat(8), 0f);
        a.grad().putScalar(new long[] {1, 2}, 3f);
        assertEquals(3f, p.grads().getFloat(5), 0f);
        ParamSet q = new ParamSet();
        q.declare("a", new long[] {2, 3}, Param.Init.uniformFanIn(4));
        q.declare("b", new long[] {4}, Param.Init.constant(1f));
        q.allocate(7);
        assertArrayEquals(p.values().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6)).toFloatVector(),
                q.values().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6)).toFloatVector());
        for (float v : a.value().dup().data().asFloat()) {
            org.junit.jupiter.api.Assertions.assertTrue(Math.abs(v) <= 0.5f);
        }
    }
}

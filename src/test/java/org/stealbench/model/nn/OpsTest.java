package org.stealbench.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OpsTest {

    @Test
    void floatsCopiedInBulkEqualNd4jsOwnCopy() {
        float[] v = new float[2 * 3 * 4 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i) * 7;
        }
        try (INDArray bulk = Ops.floats(v, 2, 3, 4, 5); INDArray nd4j = Nd4j.create(v, new long[] {2, 3, 4, 5}, 'c')) {
            assertEquals(DataType.FLOAT, bulk.dataType());
            assertEquals('c', bulk.ordering());
            assertArrayEquals(new long[] {2, 3, 4, 5}, bulk.shape());
            assertEquals(nd4j, bulk);
            assertEquals(v[v.length - 1], bulk.getFloat(1, 2, 3, 4));
        }
        float[] w = {1, 2, 3, 4, 5, 6};
        try (INDArray bulk = Ops.floats(w, 3, 2)) {
            w[5] = 99; // a copy: the array does not follow the Java values
            assertEquals(6f, bulk.getFloat(2, 1));
        }
        assertThrows(IllegalArgumentException.class, () -> Ops.floats(new float[5], 2, 3));
    }
}

package org.stealbench.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stealbench.model.NativeBackend;

/** The bulk array writer against ND4J's own: the same bytes, and ND4J's reader gets the array back. */
class NetworkStateTest {

    @BeforeAll
    static void backend() {
        NativeBackend.configure();
    }

    @Test
    void writesTheBytesNd4jWrites() throws IOException {
        Nd4j.getRandom().setSeed(2);
        INDArray matrix = Nd4j.randn(DataType.FLOAT, 70, 33);
        // more values than one chunk of the writer, an odd count of them
        sameBytes(Nd4j.randn(DataType.FLOAT, 40_001));
        sameBytes(matrix);
        sameBytes(Nd4j.randn(DataType.DOUBLE, 9_999, 3));
        // a view (a column): written as its copy, as ND4J does
        sameBytes(matrix.getColumn(5));
        sameBytes(matrix.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(10, 20), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        // other types take ND4J's writer
        sameBytes(Nd4j.createFromArray(1, 2, 3, 4));
        sameBytes(Nd4j.create(DataType.FLOAT, 0));
    }

    private static void sameBytes(INDArray a) throws IOException {
        ByteArrayOutputStream nd4j = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(nd4j)) {
            Nd4j.write(a, out);
        }
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        NetworkState.writeArray(a, ours);
        assertArrayEquals(nd4j.toByteArray(), ours.toByteArray(), "bytes of a " + a.dataType() + " array " + java.util.Arrays.toString(a.shape()));
        INDArray back = NetworkState.readArray(new ByteArrayInputStream(ours.toByteArray()));
        assertEquals(a, back);
    }
}

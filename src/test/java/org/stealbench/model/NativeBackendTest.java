package org.stealbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NativeBackendTest {

    @Test
    void glibcGivesFreedNativeMemoryBackAfterARun() {
        // Debian's glibc, here and in CI: malloc_trim is found through JNA and runs
        assertTrue(NativeBackend.trimNativeHeap());
    }

    @Test
    void glibcTakesTheAllocatorSettingsThatKeepFreedMemoryForReuse() {
        // Debian's glibc: mallopt accepts the mmap threshold (at most 32 MiB), trim threshold and top pad
        assertTrue(NativeBackend.keepFreedNativeMemory());
    }

    @Test
    void glibcTakesTheDefaultsForTheEndOfARunAndOursBack() {
        // NativeBackend.releaseMemory: glibc's trim threshold and top pad while a run's buffers are freed, then ours
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(NativeBackend.TRIM_THRESHOLD_ENV) == null && System.getenv(NativeBackend.TOP_PAD_ENV) == null,
                "the environment sets glibc's values itself");
        try {
            assertTrue(NativeBackend.giveBackFreedNativeMemory());
        } finally {
            assertTrue(NativeBackend.keepFreedNativeMemory());
        }
    }

    @Test
    void setsShortOpenMpAndOpenBlasSpinsUnlessTheEnvironmentHasThem() {
        NativeBackend.configure();
        // in the C environment libgomp reads when ND4J loads it: the short spin, or what the user exported
        String expected = System.getenv(NativeBackend.SPIN_COUNT_ENV) != null ? System.getenv(NativeBackend.SPIN_COUNT_ENV) : NativeBackend.SPIN_COUNT;
        assertEquals(expected, NativeBackend.cEnvironment(NativeBackend.SPIN_COUNT_ENV));
        String blas = System.getenv(NativeBackend.BLAS_WAIT_ENV) != null ? System.getenv(NativeBackend.BLAS_WAIT_ENV) : NativeBackend.BLAS_WAIT;
        assertEquals(blas, NativeBackend.cEnvironment(NativeBackend.BLAS_WAIT_ENV));
    }

    @Test
    void loadsTheBuildItChoseAndComputes() {
        String ext = NativeBackend.configure();
        Map<String, String> info = NativeBackend.describe();
        assertEquals("CpuBackend", info.get("backend"));
        if (NativeBackend.cpuFlags().contains("avx512f") && ext.equals(NativeBackend.ONEDNN_AVX512)) {
            assertTrue(info.get("library").contains("onednn-avx512"), info.toString());
        }
        INDArray a = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
        assertEquals(25f, a.mmul(a.transpose()).getFloat(1, 1), 1e-6f); // 3*3 + 4*4
    }
}

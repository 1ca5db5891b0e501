package org.stealbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The backend choice with the GPU detection mocked at its boundary (nvidia-smi's output). */
class DeviceChoiceTest {

    static final String CPU = "CPU: Test CPU, 2 cores";
    static final List<DeviceChoice.Gpu> A100 = DeviceChoice.parse("NVIDIA A100-SXM4-40GB, 8.0, 40960, 535.104.05\n");
    static final List<DeviceChoice.Gpu> H200 = DeviceChoice.parse("NVIDIA H200, 9.0, 143771, 550.54.15\n");

    @Test
    void parsesNvidiaSmi() {
        List<DeviceChoice.Gpu> two = DeviceChoice.parse("NVIDIA H200, 9.0, 143771, 550.54.15\nTesla K80, 3.7, 11441, 470.82\n\n");
        assertEquals(2, two.size());
        assertEquals(new DeviceChoice.Gpu("NVIDIA H200", 9.0, 143771, "550.54.15"), two.get(0));
        assertTrue(two.get(1).supported() && !two.get(0).supported());
        // an old driver without compute_cap answers with an error line, not a GPU
        assertTrue(DeviceChoice.parse("Field \"compute_cap\" is not a valid field to query.").isEmpty());
        assertTrue(Double.isNaN(DeviceChoice.parse("GPU X, [N/A], 1000, 400").get(0).computeCapability()));
    }

    @Test
    void autoTakesASupportedGpuAndFallsBackWithAReason() {
        DeviceChoice.Decision a100 = DeviceChoice.decide("auto", A100, true, CPU);
        assertEquals("cuda", a100.backend());
        assertTrue(a100.device().contains("A100") && a100.device().contains("8.0"), a100.device());

        DeviceChoice.Decision hopper = DeviceChoice.decide("auto", H200, true, CPU);
        assertEquals("cpu", hopper.backend());
        assertEquals(CPU, hopper.device());
        assertTrue(hopper.reason().contains("compute capability 9.0") && hopper.reason().contains("3.7-8.6"), hopper.reason());

        assertTrue(DeviceChoice.decide("auto", List.of(), true, CPU).reason().contains("no NVIDIA GPU"));
        assertTrue(DeviceChoice.decide("auto", A100, false, CPU).reason().contains("no CUDA backend"));
        assertEquals("cpu", DeviceChoice.decide("cpu", A100, true, CPU).backend());
    }

    @Test
    void cudaWhenItCannotBeHadIsRefusedWithTheReason() {
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> DeviceChoice.decide("cuda", H200, true, CPU));
        assertTrue(h.getMessage().contains("9.0"), h.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> DeviceChoice.decide("cuda", A100, false, CPU));
        assertTrue(none.getMessage().contains("no CUDA backend"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceChoice.decide("tpu", A100, true, CPU));
        assertEquals("cuda", DeviceChoice.decide("CUDA", A100, true, CPU).backend());
    }

    @Test
    void theCpuOnABuildWithCudaNeedsNd4jsPrioritiesSetBeforeItStarts() {
        DeviceChoice.Decision cpu = new DeviceChoice.Decision("cpu", CPU, "");
        Map<String, String> env = NativeBackend.relaunchEnvironment(cpu, true, Map.of());
        assertEquals("1000", env.get("BACKEND_PRIORITY_CPU"));
        assertNull(NativeBackend.relaunchEnvironment(cpu, false, Map.of()), "no CUDA backend: ND4J loads the CPU's");
        assertNull(NativeBackend.relaunchEnvironment(cpu, true, Map.of("BACKEND_PRIORITY_CPU", "500")), "already set");
        assertNull(NativeBackend.relaunchEnvironment(new DeviceChoice.Decision("cuda", "GPU", ""), true, Map.of()), "CUDA is ND4J's default");
    }

    @Test
    void theRequestComesFromTheOptionThenTheEnvironmentThenTheSavedSetting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path settings = dir.resolve("settings.properties");
        assertEquals("auto", NativeBackend.requestedBackend(null, null, settings), "nothing saved");
        NativeBackend.saveBackend(settings, "cpu");
        assertEquals("cpu", NativeBackend.savedBackend(settings));
        assertEquals("cpu", NativeBackend.requestedBackend(null, null, settings));
        assertEquals("cuda", NativeBackend.requestedBackend(null, "cuda", settings));
        assertEquals("auto", NativeBackend.requestedBackend("auto", "cuda", settings));
        assertThrows(IllegalArgumentException.class, () -> NativeBackend.saveBackend(settings, "gpu"));
    }

    @Test
    void onThisMachineTheChoiceIsTheCpuAndSaysWhy() {
        DeviceChoice.Decision d = NativeBackend.decision();
        assertEquals("cpu", d.backend());
        assertTrue(d.device().startsWith("CPU"), d.device());
        assertTrue(NativeBackend.summary().startsWith("CPU · linux-x86_64"), NativeBackend.summary());
    }
}

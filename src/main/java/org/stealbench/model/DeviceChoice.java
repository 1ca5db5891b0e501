package org.stealbench.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Which ND4J backend a run uses, decided before ND4J loads: {@code cpu}, {@code cuda}, or
 * {@code auto} (CUDA when this build carries ND4J's CUDA backend and a GPU it can run is present,
 * else the CPU with a one-line reason). The GPUs come from {@code nvidia-smi} ({@link #probe()}),
 * the one place that touches the machine, so the decision itself ({@link #decide}) is a pure
 * function, tested with the detection mocked.
 *
 * <p>ND4J 1.0.0-M2.1's CUDA 11.6 build carries kernels for compute capabilities 3.7 to 8.6 and no
 * PTX: a Hopper (9.0) or newer GPU cannot run it, whatever the driver.
 */
public final class DeviceChoice {

    /** The compute capabilities ND4J 1.0.0-M2.1's CUDA build has kernels for. */
    public static final double MIN_CC = 3.7;
    public static final double MAX_CC = 8.6;

    /** A GPU as nvidia-smi reports it; {@code computeCapability} is NaN when the driver does not say. */
    public record Gpu(String name, double computeCapability, long memoryMiB, String driver) {
        public boolean supported() {
            return !Double.isNaN(computeCapability) && computeCapability >= MIN_CC - 1e-9 && computeCapability <= MAX_CC + 1e-9;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (compute capability %s, %,d MiB, driver %s)", name,
                    Double.isNaN(computeCapability) ? "unknown" : String.format(Locale.ROOT, "%.1f", computeCapability), memoryMiB, driver);
        }
    }

    /** The backend chosen ("cpu" or "cuda"), the device in words, and why. */
    public record Decision(String backend, String device, String reason) {
    }

    private DeviceChoice() {
    }

    /**
     * @param requested     cpu, cuda or auto
     * @param gpus          the GPUs found (empty: none, or no nvidia-smi)
     * @param cudaAvailable whether this build carries ND4J's CUDA backend
     * @param cpu           the CPU in words, for the decision's device
     * @throws IllegalArgumentException for an unknown request, and for {@code cuda} when it cannot be had
     */
    public static Decision decide(String requested, List<Gpu> gpus, boolean cudaAvailable, String cpu) {
        String r = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "cpu", "cuda").contains(r)) {
            throw new IllegalArgumentException("--backend is auto, cpu or cuda, not '" + requested + "'");
        }
        if (r.equals("cpu")) {
            return new Decision("cpu", cpu, "the CPU, as asked");
        }
        Gpu usable = gpus.stream().filter(Gpu::supported).findFirst().orElse(null);
        String whyNot;
        if (!cudaAvailable) {
            whyNot = "this build has no CUDA backend (build it with the Maven profiles cpu,cuda: README, GPU)";
        } else if (gpus.isEmpty()) {
            whyNot = "no NVIDIA GPU found (nvidia-smi lists none, or is not installed)";
        } else if (usable == null) {
            Gpu g = gpus.get(0);
            whyNot = Double.isNaN(g.computeCapability())
                    ? "the driver does not report " + g.name() + "'s compute capability, so it cannot be checked against the CUDA build's "
                            + MIN_CC + "-" + MAX_CC + " (update the driver)"
                    : String.format(Locale.ROOT, "%s has compute capability %.1f; ND4J 1.0.0-M2.1's CUDA 11.6 build runs %.1f-%.1f only (no "
                            + "PTX for newer GPUs such as Hopper, 9.0)", g.name(), g.computeCapability(), MIN_CC, MAX_CC);
        } else {
            return new Decision("cuda", "GPU: " + usable, r.equals("auto") ? "a supported GPU is present" : "CUDA, as asked");
        }
        if (r.equals("cuda")) {
            throw new IllegalArgumentException("cannot run on CUDA: " + whyNot);
        }
        return new Decision("cpu", cpu, "CPU: " + whyNot);
    }

    /** Parses {@code nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version --format=csv,noheader,nounits}. */
    public static List<Gpu> parse(String csv) {
        List<Gpu> out = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            String[] f = line.split(",");
            if (f.length < 4) {
                continue;
            }
            double cc;
            try {
                cc = Double.parseDouble(f[1].trim());
            } catch (NumberFormatException e) {
                cc = Double.NaN;
            }
            long mem;
            try {
                mem = Long.parseLong(f[2].trim());
            } catch (NumberFormatException e) {
                mem = 0;
            }
            out.add(new Gpu(f[0].trim(), cc, mem, f[3].trim()));
        }
        return out;
    }

    /** The machine's NVIDIA GPUs through nvidia-smi (empty when there is none, or no nvidia-smi, within 10 s). */
    public static List<Gpu> probe() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=name,compute_cap,memory.total,driver_version",
                    "--format=csv,noheader,nounits").redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return List.of();
            }
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.exitValue() == 0 ? parse(text) : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Whether ND4J's CUDA backend is on the class path (looked up without loading it). */
    public static boolean cudaOnClassPath() {
        return DeviceChoice.class.getClassLoader().getResource("org/nd4j/linalg/jcublas/JCublasBackend.class") != null;
    }
}

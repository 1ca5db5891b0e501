package org.stealbench.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the ND4J native build before ND4J loads, and reports which one is in use.
 *
 * <p>The CPU profile ships two linux-x86_64 builds of libnd4j: the generic one, which loads on
 * any x86-64, and the oneDNN AVX-512 one, several times faster for convolutions
 * (docs/decisions/0002-native-backend.md). JavaCPP picks the build named by the system property
 * {@value #EXTENSION_PROPERTY}; {@link #configure()} sets it from the CPU's flags unless the user
 * already did ({@code -Dorg.bytedeco.javacpp.platform.extension=} forces the generic build).
 * Every entry point calls {@link #configure()} before touching ND4J.
 */
public final class NativeBackend {

    /** JavaCPP's system property naming the native build variant, e.g. {@code -onednn-avx512}. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String ONEDNN_AVX512 = "-onednn-avx512";
    private static final String ONEDNN_AVX512_MARKER =
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx512/libjnind4jcpu.so";

    private static volatile String chosen;
    private static volatile DeviceChoice.Decision decision;

    /** The system property (or environment variable STEALBENCH_BACKEND) that asks for a backend: auto, cpu or cuda. */
    public static final String BACKEND_PROPERTY = "stealbench.backend";

    private NativeBackend() {
    }

    /**
     * Selects the fastest native build this CPU can run, and the backend (CPU or CUDA, {@link DeviceChoice});
     * idempotent and cheap after the first call.
     *
     * @throws IllegalArgumentException when CUDA was asked for and cannot be had (the reason is the message)
     */
    public static synchronized String configure() {
        if (chosen != null) {
            return chosen;
        }
        shortSpins();
        keepFreedNativeMemory();
        String requested = requestedBackend(System.getProperty(BACKEND_PROPERTY), System.getenv("STEALBENCH_BACKEND"), settingsFile());
        boolean cuda = DeviceChoice.cudaOnClassPath();
        java.util.List<DeviceChoice.Gpu> gpus = requested.equalsIgnoreCase("cpu") ? java.util.List.of() : DeviceChoice.probe();
        decision = DeviceChoice.decide(requested, gpus, cuda, cpuName());
        String preset = System.getProperty(EXTENSION_PROPERTY);
        if (preset != null) {
            chosen = preset;
        } else if (cpuFlags().containsAll(java.util.List.of("avx512f", "avx512bw", "avx512vl", "avx512dq"))
                && NativeBackend.class.getClassLoader().getResource(ONEDNN_AVX512_MARKER) != null) {
            System.setProperty(EXTENSION_PROPERTY, ONEDNN_AVX512);
            chosen = ONEDNN_AVX512;
        } else {
            chosen = "";
        }
        return chosen;
    }

    /** The environment variable libgomp (libnd4j's OpenMP runtime) reads its spin count from. */
    public static final String SPIN_COUNT_ENV = "GOMP_SPINCOUNT";
    /** The spin count set unless the environment has one (decision 0021). */
    static final String SPIN_COUNT = "3000";
    /** The environment variable OpenBLAS reads its idle threads' busy-wait from (2^n cycles, n from 4 to 30). */
    public static final String BLAS_WAIT_ENV = "OPENBLAS_THREAD_TIMEOUT";
    /** The shortest busy-wait OpenBLAS allows: 2^4 cycles (decision 0022). */
    static final String BLAS_WAIT = "4";

    /**
     * The native libraries' worker threads wait for work by spinning before they sleep, and on two
     * cores a spinning thread takes a core from the threads with work. libgomp (libnd4j's OpenMP
     * runtime) spins 300,000 times after every op by default, about a millisecond: the demo copy's
     * training step was 6-11% faster with 3,000 (decision 0021). OpenBLAS's idle thread calls
     * sched_yield in a loop for 2^28 cycles (about 0.1 s) after every matrix product, longer than a
     * training step, so it never slept: 30,000 calls a second and 8-9 s of a demo theft's 10-11 s of
     * system time; with 2^4 cycles the theft takes 2 s of system time (decision 0022). Both
     * libraries read their variable once, when ND4J loads them, so it is set in the C environment
     * here, before that; a value the user set wins. Every entry point (launcher, application image,
     * tests, Spark executors, benchmark workers) calls {@link #configure} first.
     */
    private static void shortSpins() {
        setenvUnlessSet(SPIN_COUNT_ENV, SPIN_COUNT);
        setenvUnlessSet(BLAS_WAIT_ENV, BLAS_WAIT);
    }

    private static void setenvUnlessSet(String name, String value) {
        try {
            libc("setenv").invokeInt(new Object[] {name, value, 0});
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // no C library to reach: the library keeps its default
        }
    }

    /** glibc's mallopt parameters (malloc.h) and the values set (32 MiB: the ceiling of glibc's own dynamic mmap threshold). */
    static final int M_TRIM_THRESHOLD = -1;
    static final int M_TOP_PAD = -2;
    static final int M_MMAP_THRESHOLD = -3;
    static final long MMAP_THRESHOLD = 32L << 20;
    static final long TRIM_THRESHOLD = 1L << 30;
    static final long TOP_PAD = 256L << 20;
    /** glibc's initial trim threshold (128 KiB). */
    static final long GLIBC_TRIM_THRESHOLD = 128L << 10;
    /** glibc's environment variables for the same parameters: a value the user set there wins. */
    static final String MMAP_THRESHOLD_ENV = "MALLOC_MMAP_THRESHOLD_";
    static final String TRIM_THRESHOLD_ENV = "MALLOC_TRIM_THRESHOLD_";
    static final String TOP_PAD_ENV = "MALLOC_TOP_PAD_";

    /**
     * Keeps freed native memory for reuse during a run instead of handing it straight back to the
     * system. libnd4j's ops allocate and free native temporaries of megabytes on every call; glibc
     * served large ones with fresh mappings and returned the top of its heaps as soon as they were
     * freed, so every step faulted the same pages in again: a demo theft took 813,000 minor page
     * faults and 10.9 s of system time. With an mmap threshold of 32 MiB, a 1 GiB trim threshold and
     * a 256 MiB top pad it took 225,000-254,000 and 9-10 s, and trained in 21.1-21.6 s against 23.1
     * (decision 0021). Memory is still given back at the end of every run ({@link #releaseMemory}'s
     * malloc_trim). A value the user set with glibc's environment variables
     * ({@code MALLOC_MMAP_THRESHOLD_} and the others) wins.
     *
     * @return whether glibc took every value (false on other C libraries)
     */
    static boolean keepFreedNativeMemory() {
        boolean all = true;
        all &= mallopt(MMAP_THRESHOLD_ENV, M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        all &= mallopt(TRIM_THRESHOLD_ENV, M_TRIM_THRESHOLD, TRIM_THRESHOLD);
        all &= mallopt(TOP_PAD_ENV, M_TOP_PAD, TOP_PAD);
        return all;
    }

    private static boolean mallopt(String env, int param, long value) {
        if (System.getenv(env) != null) {
            return true;
        }
        try {
            return libc("mallopt").invokeInt(new Object[] {param, (int) value}) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /** A variable of this process's C environment (what the native libraries read), or null when unset. */
    public static String cEnvironment(String name) {
        try {
            return libc("getenv").invokeString(new Object[] {name}, false);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return System.getenv(name);
        }
    }

    /** The JDK's vector API module, which batch norm's kernels use where the JVM has it (decision 0027). */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";

    /**
     * The JVM options a child JVM that runs the engine (a benchmark worker, the workbench, a Spark executor) takes from
     * this one, as the launcher gives them: the vector API's module where this JVM has it, and the early compilation
     * of the kernels that use it (see scripts/stealbench).
     */
    public static java.util.List<String> engineJvmOptions() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()
                ? java.util.List.of("--add-modules=" + VECTOR_MODULE, "-XX:CompileCommand=quiet",
                        "-XX:CompileCommand=CompileThresholdScaling,org.stealbench.model.nn.PoolReluVectors::*,0.05")
                : java.util.List.of();
    }

    /** Where the workbench keeps the backend to use from the next start ({@code backend=auto|cpu|cuda}). */
    public static Path settingsFile() {
        return Path.of(System.getProperty("user.home"), ".stealbench", "settings.properties");
    }

    /** The backend asked for: the system property, else the environment variable, else the settings file, else auto. */
    static String requestedBackend(String property, String env, Path settings) {
        if (property != null && !property.isBlank()) {
            return property;
        }
        if (env != null && !env.isBlank()) {
            return env;
        }
        return savedBackend(settings);
    }

    /** The backend saved in {@code settings} (auto when none). */
    public static String savedBackend(Path settings) {
        java.util.Properties p = new java.util.Properties();
        if (Files.isRegularFile(settings)) {
            try (java.io.Reader r = Files.newBufferedReader(settings)) {
                p.load(r);
            } catch (IOException e) {
                return "auto";
            }
        }
        return p.getProperty("backend", "auto").trim();
    }

    /** Saves the backend to use from the next start (the workbench's About view). */
    public static void saveBackend(Path settings, String backend) throws IOException {
        if (!java.util.List.of("auto", "cpu", "cuda").contains(backend)) {
            throw new IllegalArgumentException("the backend is auto, cpu or cuda, not '" + backend + "'");
        }
        java.util.Properties p = new java.util.Properties();
        if (Files.isRegularFile(settings)) {
            try (java.io.Reader r = Files.newBufferedReader(settings)) {
                p.load(r);
            }
        }
        p.setProperty("backend", backend);
        Files.createDirectories(settings.toAbsolutePath().getParent());
        try (java.io.Writer w = Files.newBufferedWriter(settings)) {
            p.store(w, "StealBench settings");
        }
    }

    /** The backend decision (configures first). */
    public static DeviceChoice.Decision decision() {
        configure();
        return decision;
    }

    /**
     * The environment a restarted JVM needs for ND4J to load the chosen backend, or null when this
     * one will: ND4J picks among the backends on the class path by priorities read from environment
     * variables only, and prefers CUDA when both are there.
     */
    public static java.util.Map<String, String> relaunchEnvironment() {
        DeviceChoice.Decision d = decision();
        return relaunchEnvironment(d, DeviceChoice.cudaOnClassPath(), System.getenv());
    }

    static java.util.Map<String, String> relaunchEnvironment(DeviceChoice.Decision d, boolean cudaOnClassPath, java.util.Map<String, String> env) {
        if (!d.backend().equals("cpu") || !cudaOnClassPath) {
            return null;
        }
        int cpu = priority(env.get("BACKEND_PRIORITY_CPU"), 0);
        int gpu = priority(env.get("BACKEND_PRIORITY_GPU"), 100);
        return cpu > gpu ? null : java.util.Map.of("BACKEND_PRIORITY_CPU", "1000", "BACKEND_PRIORITY_GPU", "0");
    }

    private static int priority(String v, int otherwise) {
        try {
            return v == null ? otherwise : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** The CPU in words (model and cores). */
    static String cpuName() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return "CPU: " + line.substring(line.indexOf(':') + 1).trim() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the core count alone
        }
        return "CPU, " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    /** The status bar's line: CPU or CUDA, and the native build or the GPU. */
    public static String summary() {
        DeviceChoice.Decision d = decision();
        return d.backend().equals("cuda") ? "CUDA · " + d.device().replaceFirst("^GPU: ", "") : "CPU · " + buildName();
    }

    /** Human-readable name of the selected build, for provenance and the About panel. */
    public static String buildName() {
        String ext = configure();
        return "linux-x86_64" + ext;
    }

    /** Facts about the backend actually loaded by ND4J (loads it if needed). */
    public static Map<String, String> describe() {
        configure();
        Map<String, String> out = new LinkedHashMap<>();
        org.nd4j.linalg.factory.Nd4jBackend backend = org.nd4j.linalg.factory.Nd4j.getBackend();
        out.put("backend", backend.getClass().getSimpleName());
        out.put("device", decision.device());
        out.put("backend choice", decision.reason());
        out.put("native build", buildName());
        java.util.Properties env = org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation();
        for (String key : new String[] {"blas.vendor", "omp.threads", "cores", "memory.available", "os"}) {
            Object v = env.get(key);
            if (v != null) {
                out.put(key, v.toString());
            }
        }
        String lib = org.bytedeco.javacpp.Loader.getLoadedLibraries().get("jnind4jcpu");
        if (lib != null) {
            out.put("library", lib);
        }
        return out;
    }

    static java.util.Set<String> cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    String[] parts = line.substring(line.indexOf(':') + 1).trim().toLowerCase(Locale.ROOT).split("\\s+");
                    return java.util.Set.of(parts);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux or unreadable: fall back to the generic build.
        }
        return java.util.Set.of();
    }

    /**
     * Hands the native memory of a finished run back. ND4J frees an array's off-heap buffer only
     * when its Java wrapper is collected, and those wrappers are small, so a lightly used heap is
     * rarely collected while the process's native memory grows by about 2 GB a theft (measured:
     * 2.9 to 11.9 GB over six thefts in one JVM; the bench suite of 18 thefts was killed by the
     * kernel at 24 GB). One collection after each run keeps it flat (about 2 GB) and costs a few
     * hundred milliseconds, against 30 s or more for a run.
     *
     * <p>What the buffers freed go back to is glibc's allocator, which keeps freed memory in its
     * arenas (one per thread that allocated: ND4J's OpenMP and oneDNN threads too) and returns it to
     * the system only from the top of the heap: after a run the process held 100-170 MiB more from
     * one run to the next with nothing of ours open. Half a second after the collection (ND4J's
     * deallocator thread frees the collected buffers), {@code malloc_trim(0)} hands the free pages of
     * every arena back, on a daemon thread so the run's caller does not wait. Until then glibc's own
     * trim threshold and top pad hold ({@link #giveBackFreedNativeMemory}), so the tops of the threads'
     * arenas, which {@code malloc_trim} leaves, go back as the last buffers are freed; the trim then
     * sets the run-time values again (decision 0013).
     */
    public static void releaseMemory() {
        boolean relaxed = giveBackFreedNativeMemory();
        System.gc();
        TRIM.schedule(() -> {
            trimNativeHeap();
            if (relaxed) {
                keepFreedNativeMemory();
            }
        }, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * glibc's own trim threshold and top pad again until the trim after a run's collection, which sets ours back
     * ({@link #keepFreedNativeMemory}): while they hold, a free that leaves a large free block at the top of a
     * thread's arena returns it to the system. {@code malloc_trim} does that for the main arena only, and the
     * engine's threads allocate in their own, so the top of each (up to 64 MiB) stayed resident after a run, a
     * different amount each time.
     *
     * @return whether glibc took the values (false where the user set them with glibc's variables, or on other C libraries)
     */
    static boolean giveBackFreedNativeMemory() {
        if (System.getenv(TRIM_THRESHOLD_ENV) != null || System.getenv(TOP_PAD_ENV) != null) {
            return false;
        }
        return mallopt(TRIM_THRESHOLD_ENV, M_TRIM_THRESHOLD, GLIBC_TRIM_THRESHOLD) & mallopt(TOP_PAD_ENV, M_TOP_PAD, 0);
    }

    private static final java.util.concurrent.ScheduledExecutorService TRIM = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stealbench-malloc-trim");
        t.setDaemon(true);
        return t;
    });

    /** A C library function through JNA (throws UnsatisfiedLinkError where there is none). */
    private static com.sun.jna.Function libc(String name) {
        return com.sun.jna.NativeLibrary.getInstance("c").getFunction(name);
    }

    /** glibc's malloc_trim(0) through JNA: free pages of every arena back to the system; true if it ran (not on other C libraries). */
    public static boolean trimNativeHeap() {
        try {
            libc("malloc_trim").invokeInt(new Object[] {0});
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false; // not glibc (musl, macOS): nothing to trim this way
        }
    }
}

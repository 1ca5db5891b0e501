package org.stealbench.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves dataset ids to data on this machine and loads them.
 *
 * <p>A spec is an id ({@code fashion-mnist}), optionally pinned to one origin with
 * {@code @bundled}, {@code @system} or {@code @user} ({@code fashion-mnist@system} is the full
 * Fashion-MNIST of the Debian package when the bundled subset would win otherwise), or
 * {@code folder:<path>} for a folder of class sub-folders. Without a pin the first location that
 * holds the data wins, in the order: the bundled subset in sample-data/, a system install, the
 * user data directory. Loaded datasets are cached by location.
 */
public final class DatasetRegistry {

    /** Environment variable naming the user data directory. */
    public static final String DATA_DIR_ENV = "STEALBENCH_DATA";
    /** System property naming the project folder that holds sample-data/. */
    public static final String HOME_PROPERTY = "stealbench.home";
    public static final String FOLDER_PREFIX = "folder:";

    /**
     * The three places datasets live.
     *
     * @param sampleData the project's sample-data folder
     * @param systemRoot prefix for system paths ("/" normally; a temp folder in tests)
     * @param userDir the user data directory
     */
    public record Roots(Path sampleData, Path systemRoot, Path userDir) {

        /** A system path such as {@code /usr/share/datasets}, under {@link #systemRoot}. */
        public Path system(String absolute) {
            return systemRoot.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
        }

        /**
         * The default roots: sample-data under the project home ({@value #HOME_PROPERTY}, else
         * the working directory), "/" for system installs, and the user directory from
         * {@code dataDir} if given, else {@value #DATA_DIR_ENV}, else ~/.stealbench/data.
         */
        public static Roots defaults(Path dataDir) {
            Path home = Path.of(System.getProperty(HOME_PROPERTY, ".")).toAbsolutePath().normalize();
            Path user = dataDir;
            if (user == null) {
                String env = System.getenv(DATA_DIR_ENV);
                user = env != null && !env.isBlank() ? Path.of(env)
                        : Path.of(System.getProperty("user.home"), ".stealbench", "data");
            }
            return new Roots(home.resolve("sample-data"), Path.of("/"), user.toAbsolutePath().normalize());
        }
    }

    /** What a listing shows for one location of one dataset. */
    public record Entry(DatasetSource source, DatasetLocation location, boolean present, boolean selected) {
    }

    private final Roots roots;
    private final Map<String, DatasetSource> sources = new LinkedHashMap<>();
    private final Map<DatasetLocation, DatasetSplits> cache = new ConcurrentHashMap<>();

    public DatasetRegistry(Roots roots, List<DatasetSource> sources) {
        this.roots = roots;
        for (DatasetSource s : sources) {
            this.sources.put(s.id(), s);
        }
    }

    /** The registry of every built-in dataset id. */
    public static DatasetRegistry standard(Roots roots) {
        return new DatasetRegistry(roots, StandardDatasets.all());
    }

    public Roots roots() {
        return roots;
    }

    public List<String> ids() {
        return List.copyOf(sources.keySet());
    }

    public DatasetSource source(String id) {
        DatasetSource s = sources.get(id);
        if (s == null) {
            throw new DatasetException("unknown dataset '" + id + "'; known: " + String.join(", ", sources.keySet())
                    + ", or folder:<path> for a folder of class sub-folders");
        }
        return s;
    }

    /** Every candidate location of every id, marking which exist and which one an unpinned id uses. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (DatasetSource s : sources.values()) {
            boolean chosen = false;
            for (DatasetLocation loc : s.candidates(roots)) {
                boolean present = s.isPresent(loc);
                out.add(new Entry(s, loc, present, present && !chosen));
                chosen |= present;
            }
        }
        return out;
    }

    /** The location a spec resolves to; the error lists every place that was tried. */
    public DatasetLocation resolve(String spec) {
        Parsed p = parse(spec);
        if (p.source instanceof FolderSource) {
            return p.source.candidates(roots).get(0);
        }
        List<DatasetLocation> tried = new ArrayList<>();
        for (DatasetLocation loc : p.source.candidates(roots)) {
            if (p.origin != null && loc.origin() != p.origin) {
                continue;
            }
            if (p.source.isPresent(loc)) {
                return loc;
            }
            tried.add(loc);
        }
        StringBuilder msg = new StringBuilder("dataset '" + spec + "' not found; looked in:");
        for (DatasetLocation loc : tried) {
            msg.append("\n  ").append(loc.describe());
        }
        msg.append("\n").append(p.source.howToGet(roots));
        throw new DatasetException(msg.toString());
    }

    /**
     * {@code spec} pinned to the place it resolves to now ({@code fashion-mnist} ->
     * {@code fashion-mnist@bundled}), so that a record of it keeps naming the same images when
     * another location is installed later; folders and generated sets are already pinned.
     */
    public String pinned(String spec) {
        DatasetLocation loc = resolve(spec);
        if (spec.startsWith(FOLDER_PREFIX) || loc.origin() == DatasetLocation.Origin.GENERATED) {
            return spec;
        }
        int at = spec.indexOf('@');
        return (at < 0 ? spec : spec.substring(0, at)) + "@" + loc.origin().label();
    }

    public Optional<DatasetLocation> find(String spec) {
        try {
            return Optional.of(resolve(spec));
        } catch (DatasetException e) {
            return Optional.empty();
        }
    }

    /** Loads (or returns the cached) train and test splits of a spec. */
    public DatasetSplits load(String spec) {
        Parsed p = parse(spec);
        DatasetLocation loc = resolve(spec);
        return cache.computeIfAbsent(loc, l -> withTrainNormalization(p.source.load(l)));
    }

    /** The test split shares the training split's normalisation: an encoder sees both the same way. */
    private static DatasetSplits withTrainNormalization(DatasetSplits s) {
        Normalization norm = s.train().normalization();
        return new DatasetSplits(s.train(), s.test().withNormalization(norm), s.location());
    }

    private record Parsed(DatasetSource source, DatasetLocation.Origin origin) {
    }

    private Parsed parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new DatasetException("no dataset given; known: " + String.join(", ", sources.keySet()));
        }
        if (spec.startsWith(FOLDER_PREFIX)) {
            Path dir = Path.of(spec.substring(FOLDER_PREFIX.length())).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new DatasetException(spec + ": " + dir + " is not a folder");
            }
            return new Parsed(new FolderSource(spec, dir), null);
        }
        int at = spec.indexOf('@');
        String id = at < 0 ? spec : spec.substring(0, at);
        DatasetLocation.Origin origin = null;
        if (at >= 0) {
            String o = spec.substring(at + 1);
            try {
                origin = DatasetLocation.Origin.valueOf(o.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new DatasetException("unknown origin '" + o + "' in '" + spec + "'; use @bundled, @system or @user");
            }
        }
        return new Parsed(source(id), origin);
    }

    /** {@code folder:<path>}: a dataset made up on the spot from a folder. */
    private record FolderSource(String id, Path dir) implements DatasetSource {
        @Override
        public String description() {
            return "image folder " + dir;
        }

        @Override
        public List<DatasetLocation> candidates(Roots roots) {
            return List.of(new DatasetLocation(DatasetLocation.Origin.USER, dir));
        }

        @Override
        public boolean isPresent(DatasetLocation location) {
            return Files.isDirectory(location.path());
        }

        @Override
        public DatasetSplits load(DatasetLocation location) {
            return new DatasetSplits(org.stealbench.data.format.ImageFolderFormat.read(id, Split.TRAIN, location.path()),
                    org.stealbench.data.format.ImageFolderFormat.read(id, Split.TEST, location.path()), location);
        }

        @Override
        public String howToGet(Roots roots) {
            return "make a folder with one sub-folder of PNG/JPEG images per class";
        }
    }
}

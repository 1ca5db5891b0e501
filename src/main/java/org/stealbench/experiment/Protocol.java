package org.stealbench.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stealbench.data.DatasetException;
import org.stealbench.data.DatasetLocation;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.data.DatasetSplits;
import org.stealbench.data.ImageDataset;
import org.stealbench.data.Roles;
import org.stealbench.eval.DownstreamTask;
import org.stealbench.model.EncoderIO;

/**
 * Which images play which role in a run against one victim (docs/protocol.md, "Roles of images"),
 * derived from the victim's own provenance (the dataset and the indices it was trained on): the
 * attacker's query pool of any stealing dataset, the held-out images of the victim's distribution
 * for fidelity, plug-in agreement and the watermark, every downstream task's probe splits, and
 * the honest user's images. Every consumer (runner, live monitor, evaluation, benchmarks, CLI,
 * workbench) asks this object; the index rules themselves are {@link Roles}.
 */
public final class Protocol {

    /** The demo's other tasks, after the victim's own dataset, in the default task list. */
    public static final List<String> DEMO_TASKS = List.of("fashion-mnist", "mnist", "digits");

    private final DatasetRegistry registry;
    private final VictimData victim;
    private final DatasetLocation victimLocation;
    private final Map<DatasetLocation, Roles.Layout> layouts = new LinkedHashMap<>();

    /**
     * What a victim was trained on: the dataset (pinned to its location where one applies) and the
     * training-split indices, or the whole training split ({@code wholeSplit}, indices resolved by
     * the {@link Protocol}) when the record says {@value #ALL}: an imported model whose indices are
     * not known. Read from an encoder's provenance: a victim's own record, or a stolen copy's record
     * of its victim's.
     */
    public record VictimData(String dataset, int[] trainIndices, String source, boolean wholeSplit) {

        /** What {@code trainIndices} says in a provenance for "the whole training split". */
        public static final String ALL = "all";

        public VictimData {
            Objects.requireNonNull(dataset, "dataset");
            trainIndices = trainIndices.clone();
        }

        public VictimData(String dataset, int[] trainIndices, String source) {
            this(dataset, trainIndices, source, false);
        }

        /** The record as a stolen copy keeps it (key {@code victimData}). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", dataset);
            m.put("trainIndices", wholeSplit ? ALL : trainIndices);
            return m;
        }

        /** From an encoder's provenance, or null when it does not say what it was trained on. */
        @SuppressWarnings("unchecked")
        public static VictimData fromProvenance(Map<String, Object> prov) {
            if (prov.get("victimData") instanceof Map<?, ?> vd) {
                boolean all = ALL.equals(vd.get("trainIndices"));
                return new VictimData(String.valueOf(vd.get("dataset")), all ? new int[0] : ints(vd.get("trainIndices")),
                        "its victim's provenance" + (all ? ": the whole training split" : ""), all);
            }
            Object spec = prov.get("datasetSpec");
            if (spec != null && ALL.equals(prov.get("trainIndices"))) {
                return new VictimData(String.valueOf(spec), new int[0], "provenance: the whole training split (indices not recorded)", true);
            }
            if (spec != null && prov.get("trainIndices") != null) {
                return new VictimData(String.valueOf(spec), ints(prov.get("trainIndices")), "provenance: recorded indices");
            }
            // victims trained before the indices were recorded learnt from the first trainImages training images
            if (prov.get("dataset") != null && prov.get("trainImages") instanceof Number n) {
                String ds = String.valueOf(prov.get("dataset"));
                Object loc = prov.get("datasetLocation");
                String origin = loc == null ? "" : String.valueOf(loc).split(" ", 2)[0];
                if (!ds.contains("@") && !ds.startsWith(DatasetRegistry.FOLDER_PREFIX)
                        && (origin.equals("bundled") || origin.equals("system") || origin.equals("user"))) {
                    ds = ds + "@" + origin;
                }
                int[] idx = new int[n.intValue()];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = i;
                }
                return new VictimData(ds, idx, "provenance: the first " + idx.length + " training images");
            }
            return null;
        }

        private static int[] ints(Object o) {
            if (o instanceof int[] a) {
                return a;
            }
            if (o instanceof List<?> l) {
                return l.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
            }
            throw new IllegalArgumentException("trainIndices is not a list of indices");
        }
    }

    public Protocol(VictimData victim, DatasetRegistry registry) {
        this.registry = registry;
        if (victim != null && victim.wholeSplit()) {
            // indices not recorded: the victim is taken to have learnt from every training image
            int n = registry.load(victim.dataset()).train().size();
            victim = new VictimData(victim.dataset(), java.util.stream.IntStream.range(0, n).toArray(), victim.source(), true);
        }
        this.victim = victim;
        this.victimLocation = victim == null ? null : registry.resolve(victim.dataset());
        if (victim != null) {
            layout(victim.dataset());
        }
    }

    /** The protocol of an experiment: its victim file's provenance decides. */
    public static Protocol of(ExperimentConfig cfg, DatasetRegistry registry) {
        return forVictim(ExperimentRunner.victimFile(cfg, registry), registry);
    }

    /** The protocol around a saved encoder (a victim or a stolen copy); errors name the file and what it lacks. */
    public static Protocol forVictim(Path file, DatasetRegistry registry) {
        VictimData v = VictimData.fromProvenance(EncoderIO.readProvenance(file));
        if (v == null) {
            throw new IllegalArgumentException(file + " does not record which images it was trained on (no dataset in its provenance), "
                    + "so its held-out images cannot be chosen; use a victim trained by train-victim");
        }
        return new Protocol(v, registry);
    }

    /** The protocol for encoders with no victim (raw pixels, random encoders, foreign files): no image is the victim's. */
    public static Protocol withoutVictim(DatasetRegistry registry) {
        return new Protocol(null, registry);
    }

    public VictimData victim() {
        return victim;
    }

    /** The victim's dataset as recorded (pinned), or null without a victim. */
    public String victimDataset() {
        return victim == null ? null : victim.dataset();
    }

    /** The victim's dataset id as a user names it (without the location pin), for labels. */
    public String victimDatasetName() {
        if (victim == null) {
            return null;
        }
        String d = victim.dataset();
        int at = d.indexOf('@');
        return at < 0 ? d : d.substring(0, at);
    }

    /** True when {@code dataset} names the victim's images (the same location). */
    public boolean isVictimDataset(String dataset) {
        return victimLocation != null && registry.resolve(dataset).equals(victimLocation);
    }

    /** The default downstream tasks: the victim's own dataset first, then the demo's others. */
    public List<String> defaultTasks() {
        LinkedHashSet<String> t = new LinkedHashSet<>();
        if (victim != null) {
            t.add(victimDatasetName());
        }
        t.addAll(DEMO_TASKS);
        return List.copyOf(t);
    }

    /** The role layout of {@code dataset} (with the victim's images set aside when it is the victim's dataset). */
    public synchronized Roles.Layout layout(String dataset) {
        DatasetLocation loc = registry.resolve(dataset);
        Roles.Layout l = layouts.get(loc);
        if (l == null) {
            DatasetSplits s = registry.load(dataset);
            l = Roles.layout(s.train().labels(), s.test().labels(), loc.equals(victimLocation) ? victim.trainIndices() : null);
            layouts.put(loc, l);
        }
        return l;
    }

    /** The probe splits of downstream task {@code dataset}. */
    public DownstreamTask task(String dataset) {
        DatasetSplits s = registry.load(dataset);
        Roles.Layout l = layout(dataset);
        if (l.probeTrain().length == 0 || l.probeTest().length == 0) {
            throw new DatasetException(dataset + " has no images left for a probe (" + s.train().size() + " training images, "
                    + l.victimTrain().length + " of them the victim's): train the victim on fewer images");
        }
        return new DownstreamTask(dataset, s.train().select(l.probeTrain()), s.test().select(l.probeTest()));
    }

    /** The downstream tasks, in order. */
    public List<DownstreamTask> tasks(List<String> datasets) {
        return datasets.stream().map(this::task).toList();
    }

    /** The victim's own task (its dataset's probe splits): the plug-in head and the live kNN use it. */
    public DownstreamTask victimTask() {
        return task(requireVictim());
    }

    /** Held-out images of the victim's distribution, never queried nor trained on. */
    public ImageDataset heldOut() {
        String d = requireVictim();
        Roles.Layout l = layout(d);
        if (l.heldOut().length == 0) {
            throw new DatasetException(d + " has no test images left for held-out evaluation");
        }
        return registry.load(d).test().select(l.heldOut());
    }

    /**
     * The defender's own images: the victim's training images, which its owner has (defences
     * calibrate on them). Never queried by the attacker or the honest user, never a test image.
     */
    public ImageDataset defenderImages() {
        String d = requireVictim();
        return registry.load(d).train().select(victim().trainIndices());
    }

    /** The honest user's images of {@code dataset} (its training split, disjoint from every other role). */
    public ImageDataset honest(String dataset) {
        return registry.load(dataset).train().select(layout(dataset).honest());
    }

    /** The attacker's query pool in {@code dataset}: everything no other role uses. */
    public ImageDataset pool(String dataset) {
        DatasetSplits s = registry.load(dataset);
        Roles.Layout l = layout(dataset);
        ImageDataset fromTrain = s.train().select(l.poolTrain());
        return l.poolTest().length == 0 ? fromTrain : ImageDataset.concat(fromTrain, s.test().select(l.poolTest()));
    }

    /** How many query images {@code dataset} offers. */
    public int capacity(String dataset) {
        return layout(dataset).poolSize();
    }

    /** The attacker's {@code budget} query images: a class-balanced draw from the pool (smaller budgets take subsets). */
    public ImageDataset queries(String dataset, int budget) {
        int cap = capacity(dataset);
        if (budget > cap) {
            throw new IllegalArgumentException(dataset + " offers " + cap + " query images (its images less those of the "
                    + "other roles), fewer than the " + budget + " asked for");
        }
        ImageDataset pool = pool(dataset);
        return pool.select(Roles.queries(pool.labels(), budget));
    }

    /**
     * What stops {@code cfg} from running here, checked before anything runs (empty: nothing):
     * a victim without a record of its data, or data (victim's, stealing, a task's) that is not on
     * this machine, or a budget its pool cannot meet.
     */
    public static List<String> problems(ExperimentConfig cfg, DatasetRegistry registry) {
        List<String> out = new ArrayList<>();
        Path file = ExperimentRunner.victimFile(cfg, registry);
        if (!Files.isRegularFile(file)) {
            out.add("victim: no encoder file at " + file);
            return out;
        }
        Protocol p;
        try {
            p = forVictim(file, registry);
        } catch (RuntimeException e) {
            out.add("victim: " + e.getMessage());
            return out;
        }
        for (String d : new LinkedHashSet<>(cfg.tasks())) {
            if (registry.find(d).isEmpty()) {
                out.add("task " + d + ": " + firstLine(missing(d, registry)));
            } else {
                try {
                    Roles.Layout l = p.layout(d);
                    if (l.probeTrain().length == 0 || l.probeTest().length == 0) {
                        out.add("task " + d + ": no images left for a probe beside the victim's");
                    }
                } catch (RuntimeException e) {
                    out.add("task " + d + ": " + firstLine(e.getMessage()));
                }
            }
        }
        String s = cfg.stealingDataset();
        if (registry.find(s).isEmpty()) {
            out.add("stealing data " + s + ": " + firstLine(missing(s, registry)));
        } else {
            try {
                int cap = p.capacity(s);
                if (cfg.queries() > cap) {
                    out.add("stealing data " + s + " offers " + cap + " query images beside the other roles, fewer than the "
                            + cfg.queries() + " asked for");
                }
            } catch (RuntimeException e) {
                out.add("stealing data " + s + ": " + firstLine(e.getMessage()));
            }
        }
        return out;
    }

    private static String missing(String d, DatasetRegistry registry) {
        try {
            registry.resolve(d);
            return "not found";
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /**
     * The sizes of every role in the datasets a run uses, as results record them: for each dataset
     * (the victim's first) the count of images per role, and whether the attacker's pool overlaps
     * the victim's training images (only when the victim learnt from the whole training split; the paper allows both).
     */
    public Map<String, Object> describe(String stealingDataset, List<String> tasks) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("victimDataset", victimDataset());
        out.put("victimTrainingImages", victim == null ? 0 : victim.trainIndices().length);
        out.put("victimDataFrom", victim == null ? null : victim.source());
        out.put("seed", Roles.SEED);
        List<String> ds = new ArrayList<>();
        if (victim != null) {
            ds.add(victim.dataset());
        }
        if (stealingDataset != null) {
            ds.add(stealingDataset);
        }
        ds.addAll(tasks);
        Map<String, Object> per = new LinkedHashMap<>();
        java.util.Set<DatasetLocation> seen = new java.util.HashSet<>();
        for (String d : ds) {
            if (!seen.add(registry.resolve(d))) {
                continue; // another name of a dataset already listed (fashion-mnist and fashion-mnist@bundled)
            }
            Roles.Layout l = layout(d);
            Map<String, Object> m = new LinkedHashMap<>();
            for (Roles.Role r : l.roles()) {
                m.merge(r.name(), r.indices().length, (a, b) -> (Integer) a + (Integer) b);
            }
            per.put(d, m);
        }
        out.put("roles", per);
        if (stealingDataset != null) {
            out.put("queryPoolOverlapsVictimTraining", isVictimDataset(stealingDataset) && layout(stealingDataset).sharesVictimTraining());
        }
        return out;
    }

    private String requireVictim() {
        if (victim == null) {
            throw new IllegalStateException("no victim: held-out images and the victim's task need one");
        }
        return victim.dataset();
    }
}

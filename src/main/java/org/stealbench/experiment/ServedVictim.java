package org.stealbench.experiment;

import java.nio.file.Path;
import java.util.List;
import org.stealbench.api.Defense;
import org.stealbench.api.InProcessEncoderApi;
import org.stealbench.data.DatasetRegistry;
import org.stealbench.eval.Features;
import org.stealbench.model.ImageEncoder;
import org.stealbench.model.EncoderIO;

/**
 * A victim made ready to serve: the encoder loaded, its defence chain built and calibrated the
 * way a theft's is (on the victim's representations of the defender's own images, PROTOCOL.md),
 * behind an {@link InProcessEncoderApi} without a budget of its own (a server keeps budgets per
 * key). Closing it frees the victim's native memory.
 */
public final class ServedVictim implements AutoCloseable {

    private final ImageEncoder victim;
    private final Features cache;
    private final InProcessEncoderApi api;

    private ServedVictim(ImageEncoder victim, Features cache, InProcessEncoderApi api) {
        this.victim = victim;
        this.cache = cache;
        this.api = api;
    }

    /**
     * @param victim   a saved encoder, or {@link ExperimentConfig#BUNDLED}
     * @param defenses defence names as an experiment writes them ({@code prada:threshold=0.9})
     */
    public static ServedVictim open(String victim, List<String> defenses, long seed, DatasetRegistry registry) {
        for (String d : defenses) {
            String why = org.stealbench.defense.DefenseCatalog.check(d);
            if (why != null) {
                throw new IllegalArgumentException(why);
            }
        }
        ExperimentConfig cfg = ExperimentConfig.defaults().withVictim(victim).withDefenses(defenses).withSeed(seed);
        Path file = ExperimentRunner.victimFile(cfg, registry);
        ImageEncoder encoder = EncoderIO.open(file).encoder();
        Features cache = new Features();
        try {
            List<Defense> chain = defenses.isEmpty() ? List.of()
                    : ExperimentRunner.defenses(cfg, encoder, Protocol.forVictim(file, registry), cache);
            return new ServedVictim(encoder, cache, new InProcessEncoderApi(encoder, Long.MAX_VALUE, false, chain));
        } catch (RuntimeException e) {
            cache.close();
            encoder.close();
            throw e;
        }
    }

    public InProcessEncoderApi api() {
        return api;
    }

    public ImageEncoder encoder() {
        return victim;
    }

    @Override
    public void close() {
        cache.close();
        victim.close();
    }
}

package org.stealbench.experiment;

import java.util.Locale;

/**
 * The paper's cost comparison for one theft: what training the victim cost (time, images through
 * its encoder) against what stealing it cost (queries, time, proof-of-work hashes).
 */
public final class CostLedger {

    private CostLedger() {
    }

    /** Proof-of-work hashes all of the attacker's keys computed; 0 without the proof-of-work defence. */
    public static long attackerHashes(ExperimentResult r) {
        return r.defense() == null ? 0 : r.defense().clients().stream().filter(c -> c.role().equals("attacker"))
                .mapToLong(DefenseReport.Client::powHashes).sum();
    }

    /** The ledger in two sentences; {@code victim} may be null (a victim file that does not record its cost). */
    public static String describe(ExperimentEvent.VictimCost victim, ExperimentResult r) {
        StringBuilder sb = new StringBuilder("Cost: ");
        boolean known = victim != null && !Double.isNaN(victim.seconds());
        if (known) {
            sb.append(String.format(Locale.ROOT, "training the victim took %s and %,d images through its encoder (%,d images, %d epochs). ",
                    duration(victim.seconds()), victim.imagesThroughEncoder(), victim.trainImages(), victim.epochs()));
        } else {
            sb.append("the victim's file does not record what training it cost. ");
        }
        sb.append(String.format(Locale.ROOT, "This theft: %,d queries", r.queriesUsed()));
        if (known && victim.trainImages() > 0) {
            sb.append(String.format(Locale.ROOT, " (%.0f%% of the victim's training images)", 100.0 * r.queriesUsed() / victim.trainImages()));
        }
        sb.append(String.format(Locale.ROOT, ", %s training the copy", duration(r.trainSeconds())));
        if (known && victim.seconds() > 0) {
            sb.append(String.format(Locale.ROOT, " (%.1f%% of the victim's time)", 100 * r.trainSeconds() / victim.seconds()));
        }
        sb.append(String.format(Locale.ROOT, ", %s in all", duration(r.seconds())));
        long hashes = attackerHashes(r);
        sb.append(hashes > 0 ? String.format(Locale.ROOT, ", %.3g proof-of-work hashes (%,.0f a query).", (double) hashes,
                (double) hashes / Math.max(1, r.queriesUsed())) : ", no proof of work.");
        return sb.toString();
    }

    private static String duration(double s) {
        if (Double.isNaN(s)) {
            return "? s";
        }
        return s < 120 ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "%.1f min", s / 60);
    }
}

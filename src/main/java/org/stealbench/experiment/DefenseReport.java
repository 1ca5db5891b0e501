package org.stealbench.experiment;

import java.util.List;
import java.util.Map;

/**
 * What a theft's defences did, per client: the attacker's keys and the honest user's. The honest
 * user queried the honest-user images of {@code honestTask} through the same API and chain, fitted
 * the linear probe on its answers and was scored on the task's probe-test images, whose answers also
 * passed the chain; {@code honestUndefended} is the same probe on the victim's own, undefended
 * representations. Detection and false-positive rates count the images a defence refused or flagged,
 * over the attacker's traffic and over the honest user's first {@code comparedQueries} images (the
 * attacker's traffic length, where the honest user sent that many).
 */
public record DefenseReport(List<String> chain, String honestTask, double honestAccuracy, double honestUndefended, long comparedQueries,
                            double detectionRate, double falsePositiveRate, List<Client> clients) {

    public DefenseReport {
        chain = List.copyOf(chain);
        clients = List.copyOf(clients);
    }

    /** One client key: its role (attacker or honest), traffic, what the defences did, and the proof of work it did. */
    public record Client(String key, String role, long sent, long answered, long denied, long flagged, long powHashes, double powSeconds,
                         int powMaxBits, Map<String, Map<String, Double>> state) {
        /** Hashes per answered query. */
        public double hashesPerQuery() {
            return answered == 0 ? Double.NaN : (double) powHashes / answered;
        }
    }

    /** The honest user's accuracy lost to the defences, in [0,1]. */
    public double honestCost() {
        return honestUndefended - honestAccuracy;
    }

    /** Proof-of-work hashes per answered query of the clients in {@code role} (attacker: all its keys); NaN without any. */
    public double hashesPerQuery(String role) {
        long h = 0;
        long q = 0;
        for (Client c : clients) {
            if (c.role.equals(role)) {
                h += c.powHashes;
                q += c.answered;
            }
        }
        return h == 0 || q == 0 ? Double.NaN : (double) h / q;
    }

    /** Proof-of-work hashes per answered query, attacker (all keys) over honest user; NaN without proof of work. */
    public double powRatio() {
        return hashesPerQuery("attacker") / hashesPerQuery("honest");
    }
}

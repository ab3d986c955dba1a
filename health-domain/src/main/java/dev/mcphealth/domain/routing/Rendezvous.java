package dev.mcphealth.domain.routing;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Which member of a group owns a key, by rendezvous (highest random weight) hashing: each member's weight for the key
 * is a hash of both, and the heaviest owns it. Every member that knows the same members computes the same owner, with
 * no coordination; a member joining takes only the keys it now weighs most for, and a member leaving gives up only
 * its own, each to the next heaviest. The hash is fixed here (FNV-1a over the UTF-8 bytes, then a 64-bit finaliser),
 * so that processes of different versions or JVMs agree.
 */
public final class Rendezvous {
    private Rendezvous() {
    }

    /** The owner of {@code key} among {@code members}; empty when there are none. Ties go to the smaller name. */
    public static Optional<String> owner(String key, Collection<String> members) {
        Objects.requireNonNull(key, "key");
        String best = null;
        long bestWeight = 0;
        for (String member : members) {
            long w = weight(key, member);
            if (best == null || Long.compareUnsigned(w, bestWeight) > 0
                    || (w == bestWeight && member.compareTo(best) < 0)) {
                best = member;
                bestWeight = w;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The weight of {@code member} for {@code key}. */
    static long weight(String key, String member) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ 0xff) * 0x100000001b3L; // a separator no UTF-8 text holds
        for (byte b : member.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        // splitmix64's finaliser: FNV alone spreads short, similar names poorly
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}

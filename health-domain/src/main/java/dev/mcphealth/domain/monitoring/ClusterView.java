package dev.mcphealth.domain.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The monitors sharing one database and who holds which server, as the database records them (docs/cluster.md): each
 * member with its last heartbeat, and each remote server's lease.
 */
public record ClusterView(Duration lease, Instant at, List<Member> members, List<Holding> holdings) {
    public ClusterView {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(at, "at");
        members = List.copyOf(members);
        holdings = List.copyOf(holdings);
    }

    /** One monitor: live while its heartbeat is younger than the lease and it has not stopped. */
    public record Member(String id, String host, long pid, Instant startedAt, Instant heartbeatAt,
                         Optional<Instant> stoppedAt, boolean live) {
        public Member {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(startedAt, "startedAt");
            Objects.requireNonNull(heartbeatAt, "heartbeatAt");
            Objects.requireNonNull(stoppedAt, "stoppedAt");
        }
    }

    /** One server's lease: its holder, the lease's token and until when it runs. */
    public record Holding(String server, String owner, long token, Instant acquiredAt, Instant expiresAt,
                          boolean live) {
        public Holding {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(acquiredAt, "acquiredAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** The live members. */
    public List<Member> live() {
        return members.stream().filter(Member::live).toList();
    }

    /** The servers {@code member} holds now, by name. */
    public List<String> heldBy(String member) {
        return holdings.stream().filter(h -> h.live() && h.owner().equals(member)).map(Holding::server).sorted()
                .toList();
    }
}

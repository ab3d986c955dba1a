package dev.mcphealth.application.port.in;

import dev.mcphealth.domain.learning.AnomalyEpisode;
import dev.mcphealth.domain.learning.CapacityModel;
import dev.mcphealth.domain.learning.CapacityPlan;
import dev.mcphealth.domain.learning.DemandTrend;
import dev.mcphealth.domain.learning.LimitAdvice;
import dev.mcphealth.domain.learning.ProbeHours;
import dev.mcphealth.domain.learning.ProbeTimeouts;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.tuning.TrialRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the stored usage says of each pool (docs/learning.md): its learned profile now, its recent anomalies, the
 * capacity of an instance estimated from its recent minutes of calls, and the instances each hour of the week needs.
 * Reads the store only: it works on a stopped monitor's database as well as a running one's.
 */
public interface ReportUsageUseCase {
    /** How far back the minutes of calls (capacity) and the anomalies are read. */
    Duration LOOK_BACK = Duration.ofDays(7);

    UsageReport report(Query query);

    /** The pools of {@code types} (all with a stored profile or calls when empty), planned for {@code target}. */
    record Query(Set<ServerType> types, double target) {
        public Query {
            types = Set.copyOf(types);
            if (!(target > 0 && target <= 1)) {
                throw new IllegalArgumentException("the target utilization must be above 0 and at most 1 (0.7 is 70 %),"
                        + " got " + target);
            }
        }
    }

    /** The report, made {@code at}, of each pool by name. */
    /**
     * @param changes the changes applied by the optimizer over the {@link #LOOK_BACK} (of every server, whatever the
     *                types asked), newest first, with their trials
     */
    record UsageReport(Instant at, List<PoolUsage> pools, List<TrialRecord> changes) {
        public UsageReport {
            Objects.requireNonNull(at, "at");
            pools = List.copyOf(pools);
            changes = List.copyOf(changes);
        }

        public UsageReport(Instant at, List<PoolUsage> pools) {
            this(at, pools, List.of());
        }
    }

    /**
     * One pool: its instances (the servers of its type the monitor last recorded), the minutes its profile learned,
     * what the profile expects of the hour under way, the tools it has profiles of, its anomalies of the last
     * {@link #LOOK_BACK} (newest first), the capacity estimate and the plan (or why there is none), the concurrency
     * limit advice, the probe hours, and its demand's growth once measured ({@link DemandTrend}).
     */
    record PoolUsage(ServerType type, int instances, double minutesLearned, List<UsageProfile.Expectation> now,
                     List<String> tools, List<AnomalyEpisode> anomalies,
                     CapacityModel.Estimate capacity, CapacityPlan.Result plan, Optional<LimitAdvice> limit,
                     Optional<ProbeHoursView> probeHours, Optional<DemandTrend.Growth> growth) {
        /** Without a measured growth. */
        public PoolUsage(ServerType type, int instances, double minutesLearned, List<UsageProfile.Expectation> now,
                         List<String> tools, List<AnomalyEpisode> anomalies, CapacityModel.Estimate capacity,
                         CapacityPlan.Result plan, Optional<LimitAdvice> limit, Optional<ProbeHoursView> probeHours) {
            this(type, instances, minutesLearned, now, tools, anomalies, capacity, plan, limit, probeHours,
                    Optional.empty());
        }

        /** Without probe hours. */
        public PoolUsage(ServerType type, int instances, double minutesLearned, List<UsageProfile.Expectation> now,
                         List<String> tools, List<AnomalyEpisode> anomalies, CapacityModel.Estimate capacity,
                         CapacityPlan.Result plan, Optional<LimitAdvice> limit) {
            this(type, instances, minutesLearned, now, tools, anomalies, capacity, plan, limit, Optional.empty());
        }

        /** Without limit advice. */
        public PoolUsage(ServerType type, int instances, double minutesLearned, List<UsageProfile.Expectation> now,
                         List<String> tools, List<AnomalyEpisode> anomalies, CapacityModel.Estimate capacity,
                         CapacityPlan.Result plan) {
            this(type, instances, minutesLearned, now, tools, anomalies, capacity, plan, Optional.empty());
        }

        public PoolUsage {
            Objects.requireNonNull(type, "type");
            now = List.copyOf(now);
            tools = List.copyOf(tools);
            anomalies = List.copyOf(anomalies);
            Objects.requireNonNull(capacity, "capacity");
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(probeHours, "probeHours");
            Objects.requireNonNull(growth, "growth");
        }

        /**
         * The weeks until the busiest hour is short at the measured growth, from the plan's headroom; empty without a
         * growth, a plan with a headroom, or growth.
         */
        public java.util.OptionalDouble weeksUntilShort() {
            return growth.isPresent() && plan instanceof CapacityPlan.Plan p && p.headroom().isPresent()
                    ? growth.get().weeksUntilShort(p.headroom().getAsDouble()) : java.util.OptionalDouble.empty();
        }
    }

    /**
     * How often the pool's servers are probed in each hour of its week ({@link ProbeHours}) from its interval in force
     * (a running monitor's: the shortest of its servers'; from the database alone: as the last run was configured, its
     * first server's, without --interval): the runs of hours with one interval, the share of probes that saves,
     * whether the monitor follows it ({@code health.tuning.probeHours: follow}) or only advises it (empty: not known, a
     * report from the database alone), and the evidence of
     * its first stretched hour (or of the hour under way when none is).
     */
    record ProbeHoursView(Duration configured, List<ProbeHours.Span> spans, double saved, Optional<Boolean> followed,
                          String evidence, List<ServerTimeouts> timeouts) {
        public ProbeHoursView {
            Objects.requireNonNull(configured, "configured");
            Objects.requireNonNull(followed, "followed");
            spans = List.copyOf(spans);
            Objects.requireNonNull(evidence, "evidence");
            timeouts = List.copyOf(timeouts);
        }

        /** How many hours of the week are stretched. */
        public int stretchedHours() {
            return spans.stream().filter(ProbeHours.Span::stretched).mapToInt(ProbeHours.Span::hours).sum();
        }
    }

    /**
     * One server's probe timeouts by hour of the week ({@link ProbeTimeouts}, UTC hours): its timeout in force (empty:
     * not known, a report from the database alone, when the hours are held against the least timeout), and the runs of
     * hours that ask for another.
     */
    record ServerTimeouts(dev.mcphealth.domain.model.ServerId server, Optional<Duration> configured,
                          List<ProbeTimeouts.Span> spans) {
        public ServerTimeouts {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(configured, "configured");
            spans = List.copyOf(spans);
        }
    }

    /** A server's probe-latency profile (empty: none learned yet) and its probe timeout in force (empty: not known). */
    record ServerProbes(dev.mcphealth.domain.model.ServerId server, Optional<Duration> timeout,
                        Optional<UsageProfile> profile) {
        public ServerProbes {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(profile, "profile");
        }
    }

    /**
     * What the probe hours are made from: each server type's configured interval, whether the monitor follows them
     * (empty: not known), and each type's servers' probe profiles and timeouts.
     */
    record ProbeHoursSettings(java.util.Map<ServerType, Duration> configured, Optional<Boolean> followed,
                              java.util.Map<ServerType, List<ServerProbes>> probes) {
        /** None known: the report shows no probe hours. */
        public static final ProbeHoursSettings NONE = new ProbeHoursSettings(java.util.Map.of(), Optional.empty(),
                java.util.Map.of());

        public ProbeHoursSettings {
            configured = java.util.Map.copyOf(configured);
            Objects.requireNonNull(followed, "followed");
            probes = java.util.Map.copyOf(probes);
        }

        /** Without probe profiles. */
        public ProbeHoursSettings(java.util.Map<ServerType, Duration> configured, Optional<Boolean> followed) {
            this(configured, followed, java.util.Map.of());
        }
    }
}

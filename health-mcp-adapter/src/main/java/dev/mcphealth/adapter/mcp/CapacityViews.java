package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.Obj;
import dev.mcphealth.application.port.in.ReportUsageUseCase;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.learning.CapacityModel;
import dev.mcphealth.domain.learning.CapacityPlan;
import dev.mcphealth.domain.model.ServerType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The usage report's capacity part as structured content and as one line per pool, for optimization_report and
 * orchestrator_performance_optimizer (gateway mode): each pool's instance recommendation with its evidence.
 */
final class CapacityViews {
    private CapacityViews() {
    }

    static List<Obj> pools(ReportUsageUseCase.UsageReport report) {
        return report.pools().stream().map(CapacityViews::pool).toList();
    }

    /**
     * The report of {@code types} at the default target, or why it could not be read (the database away): the tools
     * that add it answer with the rest either way, and what they applied is never lost to it.
     */
    static Optional<ReportUsageUseCase.UsageReport> report(ReportUsageUseCase usage, Set<ServerType> types,
                                                           List<String> notes) {
        try {
            return Optional.of(usage.report(new ReportUsageUseCase.Query(types, CapacityPlan.DEFAULT_TARGET)));
        } catch (StorageUnavailableException e) {
            notes.add("capacity not read: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Obj pool(ReportUsageUseCase.PoolUsage p) {
        CapacityModel.Estimate e = p.capacity();
        Obj capacity = Obj.of()
                .put("perSecond", e.capacity().isPresent() ? e.capacity().getAsDouble() : null)
                .put("low", e.low().isPresent() ? e.low().getAsDouble() : null)
                .put("high", e.high().isPresent() ? e.high().getAsDouble() : null)
                .put("method", e.fit().map(CapacityModel.Fit::method))
                .put("busyMinutes", e.minutes())
                .put("levels", e.levels())
                .put("highestSeenPerSecond", e.highestSeen())
                .put("unknown", e.unknown());
        Obj out = Obj.of()
                .put("serverType", p.type().value())
                .put("instances", p.instances())
                .put("minutesLearned", p.minutesLearned())
                .put("anomaliesLast7Days", p.anomalies().size())
                .put("openAnomalies", p.anomalies().stream().filter(a -> a.over().isEmpty()).count())
                .put("capacity", capacity)
                .put("recommendation", line(p))
                .put("limit", p.limit().map(l -> Obj.of().put("concurrency", l.concurrency()).put("method", l.method())
                        .put("min", l.min()).put("initial", l.initial()).put("max", l.max()).put("change", l.change())
                        .put("evidence", l.evidence())));
        out.put("probeHours", p.probeHours().map(CapacityViews::probeHours));
        out.put("growth", p.growth().map(g -> Obj.of().put("weekly", g.weekly()).put("low", g.low())
                .put("high", g.high()).put("days", g.days()).put("clear", g.clear())
                .put("aboveLearned", g.aboveLearned().isPresent() ? g.aboveLearned().getAsDouble() : null)
                .put("weeksUntilShort", p.weeksUntilShort().isPresent() ? p.weeksUntilShort().getAsDouble() : null)));
        if (p.plan() instanceof CapacityPlan.Plan plan) {
            out.put("plan", Obj.of()
                    .put("target", plan.target())
                    .put("fewest", plan.fewest())
                    .put("peak", plan.peak())
                    .put("removable", plan.removable())
                    .put("raisedBy", plan.raisedBy().map(g -> Obj.of().put("weekly", g.weekly())
                            .put("plannedWeekly", g.high()).put("aboveLearned", Math.max(0, g.aboveLearned().orElse(0)))))
                    .put("headroom", plan.headroom().isPresent() ? plan.headroom().getAsDouble() : null)
                    .put("hoursUntilShort", plan.hoursUntilShort().isPresent() ? plan.hoursUntilShort().getAsInt()
                            : null)
                    .put("instancesByHour", plan.hours().stream().map(CapacityPlan.Hour::instances).toList()));
        } else {
            out.put("plan", Obj.of().put("tooLittle", ((CapacityPlan.TooLittle) p.plan()).reason()));
        }
        return out;
    }

    /** The pool's probe hours: its stretched runs of hours, what they save, whether they are followed, and why. */
    private static Obj probeHours(ReportUsageUseCase.ProbeHoursView h) {
        return Obj.of()
                .put("configuredSeconds", h.configured().toMillis() / 1000.0)
                .put("followed", h.followed().orElse(null))
                .put("stretchedHours", h.stretchedHours())
                .put("probesSaved", Math.round(h.saved() * 1000) / 1000.0)
                .put("stretched", h.spans().stream().filter(dev.mcphealth.domain.learning.ProbeHours.Span::stretched)
                        .map(s -> Obj.of().put("hours", s.label()).put("everySeconds", s.interval().toMillis() / 1000.0))
                        .toList())
                .put("evidence", h.evidence())
                .put("timeouts", h.timeouts().stream().map(t -> Obj.of()
                        .put("server", t.server().value())
                        .put("configuredMs", t.configured().map(java.time.Duration::toMillis).orElse(null))
                        .put("hours", t.spans().stream().map(sp -> Obj.of().put("hoursUtc", sp.label())
                                .put("timeoutMs", sp.timeout().toMillis()).put("evidence", sp.example().evidence()))
                                .toList())).toList());
    }

    /** One pool's recommendation with its evidence, or what is missing to make one. */
    static String line(ReportUsageUseCase.PoolUsage p) {
        String type = p.type().value();
        String limit = p.limit().filter(l -> l.change())
                .map(l -> "; concurrency: " + l.proposal() + " (" + l.evidence() + ")").orElse("");
        if (p.plan() instanceof CapacityPlan.TooLittle t) {
            return type + ": no instance recommendation yet (" + t.reason() + ")" + limit;
        }
        CapacityPlan.Plan plan = (CapacityPlan.Plan) p.plan();
        String evidence = String.format(Locale.ROOT, "an instance serves %.1f calls/s (%s, from %d busy minutes at %d"
                        + " load levels), the busiest hour's 95th-percentile demand %.1f calls/s, target %.0f %%",
                plan.capacityPerInstance(), p.capacity().fit().map(CapacityModel.Fit::method).orElse("?"),
                p.capacity().minutes(), p.capacity().levels(), plan.hours().stream()
                        .mapToDouble(CapacityPlan.Hour::demandPerSecond).max().orElse(0), plan.target() * 100)
                + plan.raisedBy().map(g -> String.format(Locale.ROOT, ", raised to %.1f calls/s at the busiest by the"
                        + " measured growth (%+.1f %% a week, planned at %+.1f %%%s)", plan.hours().stream()
                        .mapToDouble(CapacityPlan.Hour::forecastPerSecond).max().orElse(0), g.weekly() * 100,
                        g.high() * 100, g.aboveLearned().isPresent() && g.aboveLearned().getAsDouble() > 0
                        ? String.format(Locale.ROOT, ", %+.1f %% above the learned week now",
                        g.aboveLearned().getAsDouble() * 100) : "")).orElse("");
        String what;
        if (plan.hoursUntilShort().isPresent()) {
            CapacityPlan.Hour h = plan.firstShort().orElseThrow();
            int in = plan.hoursUntilShort().getAsInt();
            what = "run " + h.instances() + " instances " + (in == 0 ? "now" : "from " + h.hour().label() + " (in "
                    + in + " h)") + " where " + plan.current() + " run, " + plan.peak() + " at the busiest hour";
        } else if (plan.removable() > 0) {
            what = plan.removable() + " of the " + plan.current() + " instances could go (no hour needs more than "
                    + plan.peak() + ")";
        } else {
            what = plan.current() + " instances are right (the busiest hour needs " + plan.peak() + plan.headroom()
                    .stream().filter(r -> plan.raisedBy().isEmpty()).mapToObj(r -> "; its demand can grow "
                    + Math.round(r * 100) + " % before they are short").findFirst().orElse("") + ")";
        }
        return type + ": " + what + "; " + evidence + limit;
    }
}

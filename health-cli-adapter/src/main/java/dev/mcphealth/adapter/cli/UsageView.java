package dev.mcphealth.adapter.cli;

import dev.mcphealth.application.port.in.ReportUsageUseCase;
import dev.mcphealth.domain.learning.AnomalyEpisode;
import dev.mcphealth.domain.learning.CapacityModel;
import dev.mcphealth.domain.learning.CapacityPlan;
import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TrialRecord;
import dev.mcphealth.domain.learning.HourOfWeek;
import dev.mcphealth.domain.learning.UsageProfile;
import dev.mcphealth.domain.model.AnomalyRaised;
import dev.mcphealth.domain.model.Durations;
import dev.mcphealth.domain.model.Printable;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.UsageFigure;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The usage report as text for people or one JSON object for programs (docs/learning.md#the-report). Names are
 * escaped in the text ({@link Printable}); JSON escapes them its own way.
 */
final class UsageView {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final String NL = System.lineSeparator();
    /** Anomalies listed per pool in the text; JSON has them all. */
    static final int ANOMALIES_SHOWN = 10;

    private UsageView() {
    }

    static String text(ReportUsageUseCase.UsageReport report, Set<ServerType> asked) {
        StringBuilder s = new StringBuilder();
        if (report.pools().isEmpty()) {
            s.append(asked.isEmpty() ? "no usage recorded yet: profiles are learned from calls through the"
                    + " gateway (mcp-health-server --gateway) or the library's pools" : "no usage recorded of "
                    + asked).append(NL);
            return changes(s, report).toString();
        }
        for (ReportUsageUseCase.PoolUsage p : report.pools()) {
            s.append("pool ").append(Printable.escape(p.type().value())).append(": ").append(p.instances())
                    .append(p.instances() == 1 ? " instance" : " instances").append(", profile learned from ")
                    .append(Math.round(p.minutesLearned())).append(" minutes");
            if (!p.tools().isEmpty()) {
                s.append("; tools ").append(Printable.escape(String.join(", ", p.tools())));
            }
            s.append(NL);
            if (!p.now().isEmpty()) {
                s.append("  usual now (").append(p.now().get(0).hour().label()).append(" local):");
                String sep = " ";
                for (UsageProfile.Expectation e : p.now()) {
                    s.append(sep).append(e.figure().code()).append(' ').append(figure(e.figure(), e.expected()))
                            .append(" (usual ").append(band(e.figure(), e.low(), e.high())).append(")");
                    sep = "; ";
                }
                s.append(", confidence ").append(String.format(Locale.ROOT, "%.2f", p.now().get(0).confidence()))
                        .append(NL);
            }
            s.append("  anomalies (7 days): ").append(p.anomalies().size()).append(NL);
            p.anomalies().stream().limit(ANOMALIES_SHOWN).forEach(a -> s.append("    ").append(anomaly(a)).append(NL));
            s.append("  capacity per instance: ").append(capacity(p.capacity())).append(NL);
            s.append("  plan: ").append(plan(p.plan())).append(NL);
            p.limit().ifPresent(l -> s.append("  concurrency limit: ").append(l.proposal()).append(" (")
                    .append(l.evidence()).append(')').append(NL));
            p.probeHours().ifPresent(h -> s.append("  probe hours: ").append(probeHours(h)).append(NL));
            p.probeHours().ifPresent(h -> h.timeouts().stream().filter(t -> !t.spans().isEmpty()).forEach(t -> {
                s.append("  probe timeouts of ").append(Printable.escape(t.server().value())).append(" (")
                        .append(t.configured().map(c -> "now " + seconds(c)).orElse("its timeout not known here"))
                        .append("), UTC hours:").append(NL);
                t.spans().forEach(sp -> s.append("    ").append(sp.label()).append(": ").append(seconds(sp.timeout()))
                        .append(" (").append(Printable.escape(sp.example().evidence())).append(')').append(NL));
            }));
            s.append("  demand trend: ").append(trend(p)).append(NL);
        }
        return changes(s, report).toString();
    }

    private static String seconds(java.time.Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** The measured growth in a line, and when the busiest hour is short at it; or what is missing. */
    private static String trend(ReportUsageUseCase.PoolUsage p) {
        if (p.growth().isEmpty()) {
            return "not measured yet (7 days counted against a week learned whole are needed)";
        }
        dev.mcphealth.domain.learning.DemandTrend.Growth g = p.growth().get();
        String line = String.format(Locale.ROOT, "%+.1f %% a week (%+.1f..%+.1f %%, %d days)", g.weekly() * 100,
                g.low() * 100, g.high() * 100, g.days())
                + g.aboveLearned().stream().mapToObj(a -> String.format(Locale.ROOT, ", now %+.0f %% against the learned"
                + " week", a * 100)).findFirst().orElse("");
        if (!g.clear()) {
            return line + ": not told from chance";
        }
        java.util.OptionalDouble weeks = p.weeksUntilShort();
        return weeks.isEmpty() ? line : line + String.format(Locale.ROOT, "; at that growth the busiest hour is short"
                + " in %.1f weeks", weeks.getAsDouble());
    }

    /** The probe hours in a line: the idle hours and their interval, what that saves, followed or advised, and why. */
    private static String probeHours(ReportUsageUseCase.ProbeHoursView h) {
        long configured = h.configured().toSeconds();
        if (h.stretchedHours() == 0) {
            return "every " + configured + " s in every hour (" + Printable.escape(h.evidence()) + ")";
        }
        long stretched = h.spans().stream().filter(dev.mcphealth.domain.learning.ProbeHours.Span::stretched)
                .findFirst().orElseThrow().interval().toSeconds();
        return h.stretchedHours() + " of 168 hours idle, probed every " + stretched + " s instead of " + configured
                + " s: " + Math.round(h.saved() * 100) + " % fewer probes, "
                + h.followed().map(f -> f ? "followed by the monitor" : "advised (health.tuning.probeHours: follow to"
                + " follow it)").orElse("followed when health.tuning.probeHours is follow") + "; e.g. "
                + Printable.escape(h.evidence());
    }

    /** The changes applied by the optimizer (7 days), newest first, each with its trial: before, after, outcome. */
    private static StringBuilder changes(StringBuilder s, ReportUsageUseCase.UsageReport report) {
        if (report.changes().isEmpty()) {
            return s;
        }
        s.append("changes applied by the optimizer (7 days):").append(NL);
        for (TrialRecord r : report.changes()) {
            ChangeTrial t = r.trial();
            s.append("  ").append(STAMP.format(t.appliedAt())).append(" UTC ").append(Printable.escape(
                    t.server().value())).append(' ').append(t.setting().code()).append(' ')
                    .append(t.setting().text(t.was())).append(" -> ").append(t.setting().text(t.now())).append(": ")
                    .append(r.status().replace('_', ' '));
            if (t.judgement().isPresent()) {
                dev.mcphealth.domain.tuning.TrialJudge.Judgement j = t.judgement().get();
                s.append(" (").append(j.verdict() == dev.mcphealth.domain.model.TrialVerdict.WORSE ? ""
                        : j.verdict().code() + "; ").append(Printable.escape(String.join("; ", j.evidence())))
                        .append(')');
            } else if (r.stoppedAt().isPresent()) {
                s.append(" (the monitor stopped before its trial ended, which undid it)");
            } else {
                s.append(" (on trial until ").append(STAMP.format(t.judgeAt())).append(" UTC)");
            }
            s.append(NL);
        }
        return s;
    }

    private static String anomaly(AnomalyEpisode a) {
        AnomalyRaised r = a.raised();
        String over = a.over().map(at -> a.backInBand() ? "back in band after " + Durations.format(Duration.between(
                r.at(), at)) : "not watched to its end (the monitor stopped)").orElse("open");
        return STAMP.format(r.at()) + " UTC " + r.figure().code() + r.tool().map(t -> " of tool "
                + Printable.escape(t)).orElse("") + " " + (r.high() ? "above" : "below") + ": " + figure(r.figure(),
                r.observed()) + " against " + band(r.figure(), r.band().low(), r.band().high()) + " over "
                + r.minutes() + " min; " + over;
    }

    private static String capacity(CapacityModel.Estimate e) {
        String seen = e.minutes() + " busy minutes at " + e.levels() + " load level(s), most seen "
                + number(e.highestSeen()) + "/s";
        if (e.capacity().isEmpty()) {
            return "not known: " + e.unknown().orElseThrow() + " (" + seen + ")";
        }
        String how = e.fit().map(f -> f instanceof CapacityModel.Queue q ? "a queue of " + q.workers()
                + (q.workers() == 1 ? " worker" : " workers") + " at " + number(q.serviceSeconds() * 1000) + " ms a call"
                : "the Universal Scalability Law's peak").orElse("");
        return number(e.capacity().getAsDouble()) + " calls/s (" + number(e.low().getAsDouble()) + ".."
                + number(e.high().getAsDouble()) + "; " + how + "; " + seen + ")";
    }

    private static String plan(CapacityPlan.Result r) {
        if (r instanceof CapacityPlan.TooLittle t) {
            return "none yet: " + t.reason();
        }
        CapacityPlan.Plan p = (CapacityPlan.Plan) r;
        StringBuilder s = new StringBuilder();
        s.append(p.fewest()).append("..").append(p.peak()).append(" instances to stay under ")
                .append(Math.round(p.target() * 100)).append(" % at the 95th percentile of each hour's demand (")
                .append(number(p.capacityPerInstance())).append(" calls/s each); ");
        p.raisedBy().ifPresent(g -> s.append(raised(g)).append("; "));
        s.append(p.removable() > 0 ? p.removable() + " of the " + p.current() + " could go (no hour needs them)"
                : "none of the " + p.current() + " could go");
        p.firstShort().ifPresent(h -> s.append("; ").append(p.hoursUntilShort().getAsInt() == 0 ? "short now"
                : "short in " + p.hoursUntilShort().getAsInt() + " h").append(" (").append(h.hour().label())
                .append(" needs ").append(h.instances()).append(")"));
        // raised, the counts already hold the growth: the demand trend's line says when the learned week runs short
        if (p.raisedBy().isEmpty()) {
            p.headroom().ifPresent(room -> s.append(room >= 0 ? "; the busiest hour's demand can grow "
                    + Math.round(room * 100) + " % before the " + p.current() + " are short"
                    : "; the busiest hour needs " + Math.round(-room * 100) + " % more than the " + p.current()
                    + " serve"));
        }
        s.append(NL).append("    instances by hour of the week (local hours):");
        for (int day = 0; day < 7; day++) {
            s.append(NL).append("    ").append(new HourOfWeek(day * 24).label(), 0, 3).append(" 00-23:");
            for (int h = 0; h < 24; h++) {
                s.append(' ').append(p.hours().get(day * 24 + h).instances());
            }
        }
        return s.toString();
    }

    /** What the measured growth did to the plan's demand, in words. */
    static String raised(dev.mcphealth.domain.learning.DemandTrend.Growth g) {
        return "each hour's demand raised to when it comes by the measured growth (" + String.format(Locale.ROOT,
                "%+.1f %% a week, planned at %+.1f %%, its band's high end", g.weekly() * 100, g.high() * 100)
                + g.aboveLearned().stream().filter(a -> a > 0).mapToObj(a -> String.format(Locale.ROOT,
                "; %+.1f %% above the learned week now", a * 100)).findFirst().orElse("") + ")";
    }

    /** {@code 700..1100/min}: the band with the figure's unit once. */
    private static String band(UsageFigure f, double low, double high) {
        return (f == UsageFigure.ERRORS ? number(low * 100) : number(low)) + ".." + figure(f, high);
    }

    private static String figure(UsageFigure f, double v) {
        switch (f) {
            case RATE:
                return number(v) + "/min";
            case ERRORS:
                return number(v * 100) + " %";
            default:
                return number(v) + " ms";
        }
    }

    private static String number(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    static String json(ReportUsageUseCase.UsageReport report, double target) {
        ObjectNode root = CliJson.MAPPER.createObjectNode();
        root.put("at", report.at().toString());
        root.put("target", target);
        ArrayNode pools = root.putArray("pools");
        for (ReportUsageUseCase.PoolUsage p : report.pools()) {
            ObjectNode o = pools.addObject();
            o.put("serverType", p.type().value());
            o.put("instances", p.instances());
            o.put("minutesLearned", p.minutesLearned());
            ArrayNode tools = o.putArray("tools");
            p.tools().forEach(tools::add);
            ObjectNode now = o.putObject("usualNow");
            for (UsageProfile.Expectation e : p.now()) {
                now.put("hour", e.hour().label());
                ObjectNode f = now.putObject(e.figure().code());
                f.put("expected", e.expected());
                f.put("low", e.low());
                f.put("high", e.high());
                f.put("confidence", e.confidence());
                f.put("leaning", e.leaning());
            }
            ArrayNode anomalies = o.putArray("anomalies");
            for (AnomalyEpisode a : p.anomalies()) {
                AnomalyRaised r = a.raised();
                ObjectNode x = anomalies.addObject();
                if (r.tool().isPresent()) {
                    x.put("tool", r.tool().get());
                } else {
                    x.putNull("tool");
                }
                x.put("figure", r.figure().code());
                x.put("direction", r.high() ? "above" : "below");
                x.put("observed", r.observed());
                x.put("windowMinutes", r.minutes());
                x.put("expected", r.band().expected());
                x.put("low", r.band().low());
                x.put("high", r.band().high());
                x.put("z", r.z());
                x.put("raisedAt", r.at().toString());
                if (a.over().isPresent()) {
                    x.put("overAt", a.over().get().toString());
                } else {
                    x.putNull("overAt");
                }
                x.put("ended", a.over().isEmpty() ? "open" : a.backInBand() ? "back_in_band" : "not_watched");
            }
            capacityJson(o.putObject("capacity"), p.capacity());
            planJson(o.putObject("plan"), p.plan());
            if (p.limit().isPresent()) {
                dev.mcphealth.domain.learning.LimitAdvice l = p.limit().get();
                ObjectNode x = o.putObject("limit");
                x.put("concurrency", l.concurrency());
                x.put("method", l.method());
                x.put("min", l.min());
                x.put("initial", l.initial());
                x.put("max", l.max());
                x.put("change", l.change());
                x.put("evidence", l.evidence());
            } else {
                o.putNull("limit");
            }
            if (p.growth().isPresent()) {
                dev.mcphealth.domain.learning.DemandTrend.Growth g = p.growth().get();
                ObjectNode x = o.putObject("growth");
                x.put("weekly", g.weekly());
                x.put("low", g.low());
                x.put("high", g.high());
                x.put("days", g.days());
                x.put("clear", g.clear());
                if (g.aboveLearned().isPresent()) {
                    x.put("aboveLearned", g.aboveLearned().getAsDouble());
                } else {
                    x.putNull("aboveLearned");
                }
                java.util.OptionalDouble weeks = p.weeksUntilShort();
                if (weeks.isPresent()) {
                    x.put("weeksUntilShort", weeks.getAsDouble());
                } else {
                    x.putNull("weeksUntilShort");
                }
            } else {
                o.putNull("growth");
            }
            if (p.probeHours().isPresent()) {
                ReportUsageUseCase.ProbeHoursView h = p.probeHours().get();
                ObjectNode x = o.putObject("probeHours");
                x.put("configuredSeconds", h.configured().toMillis() / 1000.0);
                if (h.followed().isPresent()) {
                    x.put("followed", h.followed().get());
                } else {
                    x.putNull("followed");
                }
                x.put("stretchedHours", h.stretchedHours());
                x.put("probesSaved", Math.round(h.saved() * 1000) / 1000.0);
                ArrayNode spans = x.putArray("stretched");
                h.spans().stream().filter(dev.mcphealth.domain.learning.ProbeHours.Span::stretched).forEach(sp ->
                        spans.addObject().put("hours", sp.label()).put("everySeconds",
                                sp.interval().toMillis() / 1000.0));
                x.put("evidence", h.evidence());
                ArrayNode timeouts = x.putArray("timeouts");
                for (ReportUsageUseCase.ServerTimeouts t : h.timeouts()) {
                    ObjectNode st = timeouts.addObject();
                    st.put("server", t.server().value());
                    if (t.configured().isPresent()) {
                        st.put("configuredMs", t.configured().get().toMillis());
                    } else {
                        st.putNull("configuredMs");
                    }
                    ArrayNode hours = st.putArray("hours");
                    t.spans().forEach(sp -> hours.addObject().put("hoursUtc", sp.label())
                            .put("timeoutMs", sp.timeout().toMillis()).put("evidence", sp.example().evidence()));
                }
            } else {
                o.putNull("probeHours");
            }
        }
        ArrayNode changes = root.putArray("changes");
        for (TrialRecord r : report.changes()) {
            ChangeTrial t = r.trial();
            ObjectNode x = changes.addObject();
            x.put("server", t.server().value());
            x.put("setting", t.setting().code());
            x.put("was", t.setting().text(t.was()));
            x.put("now", t.setting().text(t.now()));
            x.put("appliedAt", t.appliedAt().toString());
            x.put("status", r.status());
            x.put("windowSeconds", t.window().getSeconds());
            trialWindow(x.putObject("before"), t.before());
            if (t.after().isPresent()) {
                trialWindow(x.putObject("after"), t.after().get());
            } else {
                x.putNull("after");
            }
            x.put("verdict", t.judgement().map(j -> j.verdict().code()).orElse(null));
            ArrayNode evidence = x.putArray("evidence");
            t.judgement().ifPresent(j -> j.evidence().forEach(evidence::add));
            x.put("endedAt", t.endedAt().or(() -> r.stoppedAt()).map(Object::toString).orElse(null));
        }
        return root.toString();
    }

    /** A trial's window: probes and real calls, failed of each, p95 of the answered (ms; null when none). */
    private static void trialWindow(ObjectNode o, dev.mcphealth.domain.model.WindowStats w) {
        o.put("probes", w.probes()).put("failedProbes", w.failedProbes()).put("calls", w.realCalls())
                .put("failedCalls", w.failedRealCalls());
        if (w.p95().isPresent()) {
            o.put("p95Ms", w.p95().get().toNanos() / 1e6);
        } else {
            o.putNull("p95Ms");
        }
    }

    private static void capacityJson(ObjectNode c, CapacityModel.Estimate e) {
        c.put("busyMinutes", e.minutes());
        c.put("levels", e.levels());
        c.put("highestSeenPerSecond", e.highestSeen());
        if (e.capacity().isPresent()) {
            c.put("perSecond", e.capacity().getAsDouble());
            c.put("low", e.low().getAsDouble());
            c.put("high", e.high().getAsDouble());
        } else {
            c.putNull("perSecond");
            c.put("unknown", e.unknown().orElseThrow());
        }
        e.fit().ifPresent(f -> {
            ObjectNode fit = c.putObject("fit");
            fit.put("method", f.method());
            if (f instanceof CapacityModel.Queue q) {
                fit.put("workers", q.workers());
                fit.put("serviceSeconds", q.serviceSeconds());
            } else if (f instanceof CapacityModel.Usl u) {
                fit.put("lambda", u.lambda());
                fit.put("sigma", u.sigma());
                fit.put("kappa", u.kappa());
            }
        });
    }

    private static void planJson(ObjectNode o, CapacityPlan.Result r) {
        if (r instanceof CapacityPlan.TooLittle t) {
            o.putNull("hours");
            o.put("tooLittle", t.reason());
            return;
        }
        CapacityPlan.Plan p = (CapacityPlan.Plan) r;
        o.put("current", p.current());
        o.put("capacityPerInstance", p.capacityPerInstance());
        o.put("peak", p.peak());
        o.put("fewest", p.fewest());
        o.put("removable", p.removable());
        if (p.raisedBy().isPresent()) {
            ObjectNode raised = o.putObject("raisedBy");
            raised.put("weekly", p.raisedBy().get().weekly());
            raised.put("plannedWeekly", p.raisedBy().get().high());
            raised.put("aboveLearned", Math.max(0, p.raisedBy().get().aboveLearned().orElse(0)));
        } else {
            o.putNull("raisedBy");
        }
        if (p.headroom().isPresent()) {
            o.put("headroom", p.headroom().getAsDouble());
        } else {
            o.putNull("headroom");
        }
        if (p.hoursUntilShort().isPresent()) {
            o.put("hoursUntilShort", p.hoursUntilShort().getAsInt());
        } else {
            o.putNull("hoursUntilShort");
        }
        ArrayNode hours = o.putArray("hours");
        for (CapacityPlan.Hour h : p.hours()) {
            ObjectNode x = hours.addObject();
            x.put("hour", h.hour().label());
            x.put("demandPerSecond", h.demandPerSecond());
            x.put("forecastPerSecond", h.forecastPerSecond());
            x.put("instances", h.instances());
            x.put("leaning", h.leaning());
        }
    }
}

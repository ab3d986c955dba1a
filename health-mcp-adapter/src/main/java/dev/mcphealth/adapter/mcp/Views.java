package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.Obj;
import dev.mcphealth.domain.recovery.RecoveryEpisode;
import dev.mcphealth.application.port.in.AssessHealthUseCase;
import dev.mcphealth.application.port.in.ReadRecoveryStatusUseCase;
import dev.mcphealth.application.port.in.StressTestUseCase;
import dev.mcphealth.domain.model.Alert;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.history.FailureAnalysis;
import dev.mcphealth.domain.history.HistoryBucket;
import dev.mcphealth.domain.model.ProbeOutcome;
import dev.mcphealth.domain.model.ProbeReport;
import dev.mcphealth.domain.model.StatusSnapshot;
import dev.mcphealth.domain.tuning.TuningAdvice;
import dev.mcphealth.domain.model.WindowStats;
import java.time.Duration;
import java.util.List;

/** Domain values as structured content (see {@link Obj} for the conventions). */
final class Views {
    private Views() {
    }

    static Obj probe(ProbeReport p) {
        Obj o = Obj.of().put("startedAt", p.startedAt()).put("connectMs", p.connectTime());
        p.handshake().ifPresent(h -> o.put("protocolVersion", h.protocolVersion())
                .put("serverInfo", h.serverInfo().name() + " " + h.serverInfo().version()));
        if (p.outcome() instanceof ProbeOutcome.Answered) {
            ProbeOutcome.Answered a = (ProbeOutcome.Answered) p.outcome();
            o.put("answered", true).put("responseMs", a.responseTime()).put("method", a.method())
                    .put("tools", a.tools().map(t -> t.count()));
        } else {
            ProbeOutcome.Failed f = (ProbeOutcome.Failed) p.outcome();
            o.put("answered", false).put("failureType", f.type()).put("message", f.message())
                    .put("elapsedMs", f.elapsed());
        }
        return o;
    }

    static Obj assessed(AssessHealthUseCase.Entry e) {
        return Obj.of()
                .put("server", e.server().id().value())
                .put("type", e.server().type().value())
                .put("transport", e.server().transport())
                .put("status", e.status())
                .put("probe", probe(e.probe()))
                .put("monitor", e.live().map(s -> Obj.of().put("status", s.status()).put("since", s.since())
                        .put("sla", s.sla()).put("breaker", s.details().get("breaker"))))
                .put("recovery", e.recovery().map(r -> Obj.of().put("action", r.action())
                        .put("succeeded", r.succeeded()).put("detail", r.detail())))
                .put("recoveryUnderWay", e.underWay().map(u -> Obj.of().put("action", u.action())
                        .put("attempts", u.attempts()).put("nextAttemptAt", u.nextAttemptAt())
                        .put("exhausted", u.exhausted()).put("attempting", u.attempting())));
    }

    static Obj stress(StressTestUseCase.ServerStress s) {
        return Obj.of()
                .put("server", s.server().value())
                .put("probes", s.probes())
                .put("concurrency", s.concurrency())
                .put("sent", s.sent())
                .put("answered", s.answered())
                .put("failures", s.failures())
                .put("baselineP50Ms", s.baselineP50())
                .put("p50Ms", s.p50())
                .put("p95Ms", s.p95())
                .put("p99Ms", s.p99())
                .put("maxMs", s.max())
                .put("wallMs", s.wall())
                .put("throughputPerSecond", s.throughput())
                .put("slowdown", s.slowdown())
                .put("skipped", s.skipped())
                .put("aborted", s.aborted());
    }

    static Obj analysis(FailureAnalysis a) {
        return Obj.of()
                .put("since", a.since())
                .put("until", a.until())
                .put("episodes", a.episodes())
                .put("open", a.open())
                .put("truncated", a.truncated())
                .put("mttrMs", a.mttr())
                .put("byType", a.byType().stream().map(g -> Obj.of()
                        .put("type", g.type())
                        .put("episodes", g.episodes())
                        .put("resolved", g.resolved())
                        .put("mttrMs", g.mttr())
                        .put("worstMs", g.worst())
                        .put("actions", g.actions())
                        .put("lastAt", g.lastAt())).toList())
                .put("instances", a.instances().stream().map(i -> Obj.of()
                        .put("server", i.server().value())
                        .put("type", i.type().value())
                        .put("episodes", i.episodes())
                        .put("open", i.open())
                        .put("downtimeMs", i.downtime())).toList());
    }

    static Obj advice(TuningAdvice a) {
        return Obj.of()
                .put("at", a.at())
                .put("target", a.target())
                .put("level", a.level())
                .put("recommendations", a.recommendations().stream().map(r -> Obj.of()
                        .put("server", r.server().value())
                        .put("setting", r.setting())
                        .put("current", r.current())
                        .put("proposed", r.proposed())
                        .put("reason", r.reason())
                        .put("evidence", r.evidence())).toList())
                .put("notes", a.notes());
    }

    static Obj recovery(ReadRecoveryStatusUseCase.RecoveryState r) {
        ReadRecoveryStatusUseCase.Attempts a = r.attempts();
        return Obj.of()
                .put("server", r.server().value())
                .put("type", r.type().value())
                .put("action", r.action())
                .put("status", r.status())
                .put("breaker", r.breaker())
                .put("recovering", r.episode().map(e -> !e.up()).orElse(false))
                .put("attempting", r.attempting())
                .put("episode", r.episode().map(e -> Obj.of()
                        .put("startedAt", e.startedAt())
                        .put("attempts", e.attempts())
                        .put("exhausted", e.exhausted())
                        .put("nextAttemptAt", e instanceof RecoveryEpisode.Down d ? d.nextAttemptAt() : null)
                        .put("upSince", e.upSince())))
                .put("attempts", Obj.of()
                        .put("made", a.made())
                        .put("succeeded", a.succeeded())
                        .put("failed", a.failed())
                        .put("lastAt", a.lastAt())
                        .put("lastSucceeded", a.lastSucceeded())
                        .put("episodesRecovered", a.episodesRecovered())
                        .put("mttrMs", a.mttr()));
    }
}

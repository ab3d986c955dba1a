package dev.mcphealth.adapter.mcp;

import dev.mcphealth.adapter.web.Obj;
import dev.mcphealth.domain.model.TrialVerdict;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TrialJudge;
import java.util.List;
import java.util.stream.Collectors;

/** The trials of applied changes as the optimizer's reply shows them: before and after, verdict and what was done. */
final class TrialViews {
    /** Trials listed in a reply, newest first. */
    static final int SHOWN = 20;

    private TrialViews() {
    }

    static List<Obj> trials(List<ChangeTrial> trials) {
        return trials.stream().limit(SHOWN).map(TrialViews::trial).toList();
    }

    static Obj trial(ChangeTrial t) {
        Obj o = Obj.of()
                .put("id", t.id())
                .put("server", t.server().value())
                .put("setting", t.setting())
                .put("was", t.setting().text(t.was()))
                .put("now", t.setting().text(t.now()))
                .put("status", t.phase())
                .put("appliedAt", t.appliedAt())
                .put("judgeAt", t.judgeAt())
                .put("windowSeconds", t.window().getSeconds())
                .put("before", window(t.before()))
                .put("after", t.after().map(TrialViews::window))
                .put("endedAt", t.endedAt());
        t.judgement().ifPresent(j -> o.put("verdict", j.verdict()).put("evidence", j.evidence()));
        return o;
    }

    /** A window's figures: probes and real calls, the failed of each, the p95 of the answered ones. */
    static Obj window(WindowStats w) {
        return Obj.of()
                .put("probes", w.probes())
                .put("failedProbes", w.failedProbes())
                .put("calls", w.realCalls())
                .put("failedCalls", w.failedRealCalls())
                .put("p95Ms", w.p95().map(Obj::ms));
    }

    /** {@code probes failed 0 of 90, calls failed 3 of 1200, p95 41 ms}. */
    static String figures(WindowStats w) {
        return "probes failed " + w.failedProbes() + " of " + w.probes() + ", calls failed " + w.failedRealCalls()
                + " of " + w.realCalls() + w.p95().map(p -> ", p95 " + Obj.round(Obj.ms(p), 1) + " ms")
                .orElse("");
    }

    /** One ended trial in a sentence: {@code search-1 probe_timeout_ms 10000 -> 3000 rolled back (worse: ...)}. */
    static String ended(ChangeTrial t) {
        TrialJudge.Judgement j = t.judgement().orElseThrow();
        return t.server().value() + " " + t.setting().code() + " " + t.setting().text(t.was()) + " -> "
                + t.setting().text(t.now()) + " " + t.phase().code().replace('_', ' ') + " ("
                + (j.verdict() == TrialVerdict.WORSE ? "" : j.verdict().code() + ": ")
                + j.evidence().stream().collect(Collectors.joining("; ")) + ")";
    }
}

package dev.mcphealth.application.tuning;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.catalog.LiveServerCatalog;
import dev.mcphealth.application.monitoring.Monitoring;
import dev.mcphealth.application.monitoring.MonitoringSettings;
import dev.mcphealth.application.port.in.ApplyTuningUseCase;
import dev.mcphealth.application.port.in.ApplyTuningUseCase.Skipped;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.application.port.out.TrialStorePort;
import dev.mcphealth.application.testkit.FakeBreakers;
import dev.mcphealth.application.testkit.FixedCatalog;
import dev.mcphealth.application.testkit.InMemoryFailureStore;
import dev.mcphealth.application.testkit.InMemoryMetricStore;
import dev.mcphealth.application.testkit.ScriptedProbe;
import dev.mcphealth.application.testkit.TestClock;
import dev.mcphealth.domain.model.ChangeJudged;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.TrialVerdict;
import dev.mcphealth.domain.routing.BreakerSettings;
import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TrialPhase;
import dev.mcphealth.domain.tuning.TrialRecord;
import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Applied changes on trial, on a monitor built of the real services over fakes and a test clock: the server's 15-minute
 * window before the change against the one after, kept or rolled back, each ending published.
 */
class ChangeTrialsTest {
    private static final Instant START = Instant.parse("2026-12-07T09:00:00Z");
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final MonitoredServer SEARCH = aServer().named("search-1").ofType("search").every(TEN_SECONDS)
            .build();

    private final TestClock clock = new TestClock(START);
    private final ScriptedProbe probe = new ScriptedProbe(clock).answers("search-1", 40);
    private final LiveServerCatalog catalog = new LiveServerCatalog(new FixedCatalog(SEARCH));
    private final Monitoring monitor = new Monitoring(catalog, probe, new InMemoryMetricStore(),
            new InMemoryFailureStore(), alerts -> { }, statuses -> { }, events -> { }, clock,
            MonitoringSettings.defaults());
    private final FakeBreakers breakers = new FakeBreakers(clock, BreakerSettings.DEFAULTS);
    private final List<MonitorEvent> published = new ArrayList<>();
    private final TrialStoreDouble store = new TrialStoreDouble();
    private final ApplyTuningService service = new ApplyTuningService(catalog, monitor.schedule(), breakers,
            monitor.board(), published::add, store, WINDOW, clock);

    /** A test double of tuning_trials: the trials as last written, and a switch to make it unavailable. */
    static final class TrialStoreDouble implements TrialStorePort {
        final java.util.Map<Long, ChangeTrial> rows = new java.util.LinkedHashMap<>();
        final List<String> calls = new ArrayList<>();
        boolean away;

        @Override
        public void save(ChangeTrial t) {
            check();
            calls.add("save " + t.id() + " " + t.phase());
            rows.put(t.id(), t);
        }

        @Override
        public int stopRunning(Instant at) {
            check();
            calls.add("stopRunning");
            return 0;
        }

        @Override
        public List<TrialRecord> since(Instant since) {
            return rows.values().stream().map(t -> new TrialRecord(t, Optional.empty())).toList();
        }

        private void check() {
            if (away) {
                throw new StorageUnavailableException("cannot write a tuning trial to test.db: disk I/O error", null);
            }
        }
    }

    private static Value time(long seconds) {
        return new Value.Time(Duration.ofSeconds(seconds));
    }

    private static final Recommendation SHORTER_TIMEOUT = Recommendation.change(SEARCH.id(), Setting.PROBE_TIMEOUT,
            time(10), time(3), "p99 is 40 ms", "p99 40 ms over 90 probes");

    /** Probes every 10 s for {@code length}, judging due trials after each as the monitor's flush does. */
    private List<ChangeTrial> run(Duration length) {
        List<ChangeTrial> ended = new ArrayList<>();
        Instant until = clock.instant().plus(length);
        while (clock.instant().isBefore(until)) {
            clock.advance(TEN_SECONDS);
            monitor.schedule().run();
            ended.addAll(service.judgeDue());
        }
        return ended;
    }

    private ApplyTuningUseCase.Result apply(Recommendation r) {
        return service.apply(new ApplyTuningUseCase.Command(List.of(r)));
    }

    @Test
    void aChangeAfterWhichProbesFailIsRolledBackAndSaidWhy() {
        run(WINDOW);
        ApplyTuningUseCase.Result applied = apply(SHORTER_TIMEOUT);
        ChangeTrial trial = applied.trial(applied.applied().get(0)).orElseThrow();
        assertEquals(TrialPhase.RUNNING, trial.phase());
        assertTrue(trial.before().probes() >= 85, trial.before().toString());
        assertEquals(trial.before().probes(), trial.before().answeredProbes());
        assertEquals(START.plus(WINDOW).plus(WINDOW), trial.judgeAt());

        probe.fails("search-1", FailureType.TIMEOUT); // what a timeout cut too short does
        assertEquals(List.of(), run(WINDOW.minus(TEN_SECONDS)), "not judged before its window is over");
        List<ChangeTrial> ended = run(TEN_SECONDS);

        assertEquals(1, ended.size());
        ChangeTrial e = ended.get(0);
        assertEquals(TrialPhase.ROLLED_BACK, e.phase());
        assertEquals(TrialVerdict.WORSE, e.judgement().orElseThrow().verdict());
        assertEquals(Duration.ofSeconds(10), catalog.server(SEARCH.id()).orElseThrow().timeout(), "rolled back");
        assertEquals(0, e.after().orElseThrow().answeredProbes());
        ChangeJudged event = (ChangeJudged) published.get(0);
        assertEquals(ChangeJudged.Outcome.ROLLED_BACK, event.outcome());
        assertEquals("10000", event.was());
        assertEquals("3000", event.now());
        assertTrue(event.evidence().get(0).startsWith("worse: probes failed 0 of "), event.evidence().toString());
        assertEquals(List.of(e), service.trials());
        assertEquals(1, published.size());
    }

    @Test
    void aValueRolledBackIsNotAppliedAgainForADay() {
        run(WINDOW);
        apply(SHORTER_TIMEOUT);
        probe.fails("search-1", FailureType.TIMEOUT);
        run(WINDOW);
        probe.answers("search-1", 40);

        ApplyTuningUseCase.Change again = apply(SHORTER_TIMEOUT).changes().get(0);
        assertTrue(again instanceof Skipped && ((Skipped) again).reason().startsWith("rolled back at "
                + START.plus(WINDOW).plus(WINDOW) + " after its trial (worse: probes failed 0 of "), again.toString());

        clock.advance(ApplyTuningService.NOT_AGAIN_FOR);
        assertEquals(1, apply(SHORTER_TIMEOUT).applied().size(), "a day later it may be tried again");
    }

    @Test
    void aChangeAfterWhichNothingGotWorseIsKept() {
        run(WINDOW);
        apply(SHORTER_TIMEOUT);

        List<ChangeTrial> ended = run(WINDOW);

        assertEquals(TrialPhase.KEPT, ended.get(0).phase());
        assertEquals(TrialVerdict.NO_WORSE, ended.get(0).judgement().orElseThrow().verdict());
        assertEquals(Duration.ofSeconds(3), catalog.server(SEARCH.id()).orElseThrow().timeout());
        assertEquals(ChangeJudged.Outcome.KEPT, ((ChangeJudged) published.get(0)).outcome());
    }

    @Test
    void aSettingChangedByOthersMeanwhileIsLeftAsItIs() {
        run(WINDOW);
        apply(SHORTER_TIMEOUT);
        probe.fails("search-1", FailureType.TIMEOUT);
        run(Duration.ofMinutes(5));
        catalog.replace(SEARCH.withTimeout(Duration.ofSeconds(7)));

        List<ChangeTrial> ended = run(WINDOW);

        assertEquals(TrialPhase.OVERTAKEN, ended.get(0).phase());
        assertEquals(TrialVerdict.WORSE, ended.get(0).judgement().orElseThrow().verdict());
        assertEquals(Duration.ofSeconds(7), catalog.server(SEARCH.id()).orElseThrow().timeout(), "not touched");
    }

    @Test
    void aSettingOnTrialIsNotChangedAgainUntilItsTrialEnds() {
        run(WINDOW);
        apply(SHORTER_TIMEOUT);
        Recommendation next = Recommendation.change(SEARCH.id(), Setting.PROBE_TIMEOUT, time(3), time(1), "why",
                "figures");

        ApplyTuningUseCase.Change c = apply(next).changes().get(0);

        assertEquals(new Skipped(next, Optional.of(time(3)), "a change to search-1 (probe_timeout_ms 10000 -> 3000) is"
                + " on trial until " + START.plus(WINDOW).plus(WINDOW) + "; ask again after"), c);
        run(WINDOW);
        assertEquals(1, apply(next).applied().size());
        assertEquals(2, service.trials().size());
        assertEquals(TrialPhase.RUNNING, service.trials().get(0).phase(), "newest first");
    }

    @Test
    void changesToOneServerAreJudgedTogetherOnlyWhenAppliedTogether() {
        run(WINDOW);
        Recommendation interval = Recommendation.change(SEARCH.id(), Setting.PROBE_INTERVAL, time(10), time(20),
                "why", "figures");
        Recommendation open = Recommendation.change(SEARCH.id(), Setting.BREAKER_OPEN_DURATION, time(30), time(60),
                "why", "figures");

        ApplyTuningUseCase.Result together = service.apply(new ApplyTuningUseCase.Command(List.of(SHORTER_TIMEOUT,
                interval)));
        ApplyTuningUseCase.Change later = apply(open).changes().get(0);

        assertEquals(2, together.applied().size());
        assertEquals(2, together.trials().size());
        assertTrue(later instanceof Skipped && ((Skipped) later).reason().startsWith("a change to search-1 ("),
                later.toString());
    }

    @Test
    void eachTrialIsWrittenWhenAppliedAndWhenEndedAfterTheStoppedRunsAreClosedAndWaitsWhileTheStoreIsAway() {
        run(WINDOW);
        assertEquals(List.of("stopRunning"), store.calls, "the earlier run's trials closed at the first flush");
        store.away = true;
        apply(SHORTER_TIMEOUT);
        assertEquals(List.of("stopRunning"), store.calls, "nothing written while away");
        store.away = false;
        run(TEN_SECONDS);
        assertEquals(List.of("stopRunning", "save 1 RUNNING"), store.calls, "written once the store is back");
        probe.fails("search-1", FailureType.TIMEOUT);
        run(WINDOW);
        assertEquals(List.of("stopRunning", "save 1 RUNNING", "save 1 ROLLED_BACK"), store.calls);
        assertEquals(TrialPhase.ROLLED_BACK, store.rows.get(1L).phase());
    }

    @Test
    void aValueAnEarlierRunRolledBackIsNotAppliedAgainAfterARestart() {
        run(WINDOW);
        apply(SHORTER_TIMEOUT);
        probe.fails("search-1", FailureType.TIMEOUT);
        run(WINDOW);
        assertEquals(TrialPhase.ROLLED_BACK, store.rows.get(1L).phase());
        probe.answers("search-1", 40);
        // the next run, on the same store
        ApplyTuningService next = new ApplyTuningService(catalog, monitor.schedule(), breakers, monitor.board(),
                published::add, store, WINDOW, clock);
        next.judgeDue(); // its first flush

        ApplyTuningUseCase.Change again = next.apply(new ApplyTuningUseCase.Command(List.of(SHORTER_TIMEOUT)))
                .changes().get(0);

        assertTrue(again instanceof Skipped && ((Skipped) again).reason().startsWith("rolled back at "),
                again.toString());
    }

    @Test
    void theTrialsUnderWayAreWrittenAsStoppedAtTheStop() {
        run(WINDOW);
        apply(SHORTER_TIMEOUT);
        clock.advance(TEN_SECONDS);

        assertEquals(List.of(), service.judge(true));

        assertEquals(List.of("stopRunning", "save 1 RUNNING", "stopRunning"), store.calls);
    }

    @Test
    void withNoTrafficToJudgeTheChangeIsKeptUnjudged() {
        ApplyTuningService blind = new ApplyTuningService(catalog, monitor.schedule(), breakers, clock);
        blind.apply(new ApplyTuningUseCase.Command(List.of(SHORTER_TIMEOUT)));
        clock.advance(ApplyTuningService.TRIAL_WINDOW);

        ChangeTrial e = blind.judgeDue().get(0);

        assertEquals(TrialPhase.KEPT, e.phase());
        assertEquals(TrialVerdict.TOO_FEW_CALLS, e.judgement().orElseThrow().verdict());
    }
}

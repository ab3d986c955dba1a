package dev.mcphealth.application.routing;

import dev.mcphealth.application.testkit.FailoverRig;
import dev.mcphealth.application.testkit.TestServers;

import static dev.mcphealth.application.testkit.TestServers.aServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mcphealth.application.port.in.CallToolUseCase;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase.Command;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase.Report;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase.Step;
import dev.mcphealth.application.port.in.CoordinateFailoverUseCase.Strategy;
import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.domain.model.Failure;
import dev.mcphealth.domain.model.FailureType;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.model.TransportKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The failover coordinator run by hand, over the services wired on a fake fleet and a test clock. */
class CoordinateFailoverServiceTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private static MonitoredServer stdio(String name, String type) {
        return aServer().named(name).ofType(type).every(SECOND).recovering(3, Duration.ofSeconds(10)).build();
    }

    private static MonitoredServer http(String name, String type) {
        return aServer().named(name).ofType(type).over(TransportKind.STREAMABLE_HTTP).every(SECOND)
                .recovering(3, Duration.ofSeconds(10)).build();
    }

    private static Report run(FailoverRig rig, String type, Strategy strategy) {
        return rig.coordinator.coordinate(new Command(ServerType.of(type), FailureType.CONNECTION_ERROR, strategy));
    }

    /** As {@link #run}, linked to the orchestrator task {@code task} of session_1. */
    private static Report runAs(FailoverRig rig, String task, String type, Strategy strategy) {
        return rig.coordinator.coordinate(new Command(ServerType.of(type), FailureType.CONNECTION_ERROR, strategy,
                Optional.of(new RunAsTaskUseCase.Context("session_1", Optional.of(task)))));
    }

    private static ServerId id(String name) {
        return ServerId.of(name);
    }

    @Test
    void restartRestartsEveryInstanceOfTheType() {
        FailoverRig rig = new FailoverRig(stdio("a", "search"), stdio("b", "search"), stdio("x", "other")).started();
        rig.fleet.kill("b");

        Report r = run(rig, "search", Strategy.RESTART);

        assertEquals(List.of(id("a"), id("b")), r.steps().stream().map(Step::server).toList());
        assertTrue(r.steps().stream().allMatch(s -> s.action() == RecoveryAction.RESTART));
        assertTrue(r.steps().get(0).succeeded());
        assertEquals("up again", r.steps().get(0).detail());
        assertFalse(r.steps().get(1).succeeded());
        assertTrue(r.steps().get(1).detail().startsWith("connection_error: "), r.steps().get(1).detail());
        assertEquals(1, rig.fleet.reopens("a"));
        assertEquals(1, rig.fleet.reopens("b"));
        assertEquals(0, rig.fleet.reopens("x"), "another type is not touched");
        assertEquals("search (2 instances), strategy restart: 1 of 2 actions succeeded; calls go to a", r.summary());
        assertEquals(Optional.of(id("a")), r.servingNow());
    }

    @Test
    void aRestartByHandCountsAsAnAttemptOfTheEpisodeAndMovesItsBackoff() {
        FailoverRig rig = new FailoverRig(stdio("a", "search")).started();
        rig.kill("a"); // attempt 1 fails at once; the next is due at 10 s
        rig.seconds(3);

        run(rig, "search", Strategy.RESTART); // attempt 2 by hand at 3 s, fails: the next waits 20 s

        assertEquals(List.of(0L, 3L), rig.attemptSeconds("a"));
        assertEquals(Optional.of(FailoverRig.START.plusSeconds(23)), rig.recovery.nextDue());
    }

    @Test
    void reconnectReconnectsHttpInstances() {
        FailoverRig rig = new FailoverRig(http("h1", "api"), http("h2", "api")).started();
        rig.fleet.partition("h2", Duration.ofMinutes(1));

        Report r = run(rig, "api", Strategy.RECONNECT);

        assertEquals(List.of(RecoveryAction.RECONNECT, RecoveryAction.RECONNECT),
                r.steps().stream().map(Step::action).toList());
        assertEquals(List.of(true, false), r.steps().stream().map(Step::succeeded).toList());
        assertTrue(rig.fleet.isOpen(id("h1")));
        assertFalse(rig.fleet.isOpen(id("h2")));
    }

    @Test
    void autoActsOnlyOnTheInstancesThatAreDown() {
        FailoverRig rig = new FailoverRig(stdio("a", "search"), stdio("b", "search")).started();
        rig.fleet.kill("b");
        rig.seconds(2);
        rig.fleet.revive("b");

        Report r = run(rig, "search", Strategy.AUTO);

        assertEquals(1, r.steps().size(), r.steps().toString());
        Step step = r.steps().get(0);
        assertEquals(id("b"), step.server());
        assertEquals(RecoveryAction.RESTART, step.action());
        assertTrue(step.succeeded(), step.detail());
        assertEquals(0, rig.fleet.reopens("a"), "a healthy instance is left alone");
        assertTrue(rig.fleet.isOpen(id("b")));
        assertTrue(r.summary().contains("1 of 1 actions succeeded"), r.summary());
    }

    @Test
    void autoWithEveryInstanceUpDoesNothing() {
        FailoverRig rig = new FailoverRig(stdio("a", "search"), stdio("b", "search")).started();
        rig.seconds(2);

        Report r = run(rig, "search", Strategy.AUTO);

        assertEquals(List.of(), r.steps());
        assertEquals("search (2 instances), strategy auto: every instance is up; nothing to do; calls go to a",
                r.summary());
        assertEquals(List.of(), rig.events(MonitorEvent.RecoveryStarted.class));
    }

    @Test
    void failoverMovesCallsAwayFromTheInstanceServingThem() {
        FailoverRig rig = new FailoverRig(stdio("a", "search"), stdio("b", "search"), stdio("c", "search"))
                .started();
        assertEquals(id("a"), ((CallToolUseCase.Served) rig.call("search")).servedBy());
        rig.kill("a");
        rig.seconds(2); // the monitor sees a offline; no call has moved yet

        Report r = run(rig, "search", Strategy.FAILOVER);

        Step step = r.steps().get(0);
        assertEquals(id("a"), step.server(), "away from where calls go now");
        assertEquals(RecoveryAction.FAILOVER, step.action());
        assertEquals("calls go to b", step.detail());
        assertEquals(Optional.of(id("b")), r.servingNow());
        MonitorEvent.FailedOver moved = rig.events(MonitorEvent.FailedOver.class).get(0);
        assertEquals(List.of(id("a"), id("b"), "by hand: connection_error"),
                List.of(moved.from(), moved.to(), moved.reason()));
        assertEquals(id("b"), ((CallToolUseCase.Served) rig.call("search")).servedBy());
    }

    @Test
    void failoverFromTheSecondaryGoesBackToThePrimaryThatIsUsableAgain() {
        FailoverRig rig = new FailoverRig(stdio("p", "kv"), stdio("s", "kv")).started();
        rig.call("kv");
        rig.kill("p");
        rig.seconds(2);
        assertEquals(id("s"), ((CallToolUseCase.Served) rig.call("kv")).servedBy());
        rig.fleet.revive("p");
        rig.seconds(10); // p restarted at 10 s, answered since: usable, not yet healthy for failbackAfter
        assertEquals(id("s"), ((CallToolUseCase.Served) rig.call("kv")).servedBy());

        Report r = run(rig, "kv", Strategy.FAILOVER);

        assertEquals(id("s"), r.steps().get(0).server());
        assertEquals(Optional.of(id("p")), r.servingNow());
        assertEquals(id("p"), ((CallToolUseCase.Served) rig.call("kv")).servedBy());
    }

    @Test
    void aFailoverByHandAwayFromAHealthyPrimaryIsNotUndoneByTheNextCall() {
        FailoverRig rig = new FailoverRig(stdio("p", "kv"), stdio("s", "kv")).started();
        rig.seconds(60); // p has been healthy far longer than failbackAfter
        assertEquals(id("p"), ((CallToolUseCase.Served) rig.call("kv")).servedBy());

        run(rig, "kv", Strategy.FAILOVER);

        for (int t = 0; t < 30; t++) {
            assertEquals(id("s"), ((CallToolUseCase.Served) rig.call("kv")).servedBy(), "at +" + t + " s");
            rig.second();
        }
        assertEquals(id("p"), ((CallToolUseCase.Served) rig.call("kv")).servedBy(),
                "fails back once p has been healthy for failbackAfter since the move");
        assertEquals(List.of("p>s", "s>p"), rig.events(MonitorEvent.FailedOver.class).stream()
                .map(f -> f.from().value() + ">" + f.to().value()).toList());
    }

    @Test
    void failoverWithNoOtherInstanceSaysSo() {
        FailoverRig rig = new FailoverRig(stdio("a", "solo")).started();

        Report r = run(rig, "solo", Strategy.FAILOVER);

        assertEquals(1, r.steps().size());
        assertFalse(r.steps().get(0).succeeded());
        assertEquals("no other instance can serve solo", r.steps().get(0).detail());
        assertEquals(List.of(), rig.events(MonitorEvent.FailedOver.class));
    }

    @Test
    void manualDoesNothingAndSaysWhatAPersonCouldDo() {
        FailoverRig rig = new FailoverRig(stdio("a", "search"), stdio("b", "search")).started();
        rig.fleet.kill("a");
        int eventsBefore = rig.events.size();

        Report r = run(rig, "search", Strategy.MANUAL);

        assertEquals(List.of(), r.steps());
        assertTrue(r.summary().contains("nothing done; run with --strategy restart, reconnect or failover to act"),
                r.summary());
        assertEquals(0, rig.fleet.reopens("a") + rig.fleet.reopens("b"));
        assertEquals(eventsBefore, rig.events.size(), "no event");
    }

    @Test
    void anUnknownTypeIsRefused() {
        FailoverRig rig = new FailoverRig(stdio("a", "search")).started();
        UnknownServerTypeException e = assertThrows(UnknownServerTypeException.class,
                () -> run(rig, "nope", Strategy.AUTO));
        assertEquals("no server has type nope; the configured types are search", e.getMessage());
    }

    @Test
    void aCallAfterAFailedRestartFailsFastWithTheRetryHint() {
        FailoverRig rig = new FailoverRig(stdio("a", "solo")).started();
        rig.fleet.kill("a");
        run(rig, "solo", Strategy.RESTART);

        CallToolUseCase.Unavailable u = assertInstanceOf(CallToolUseCase.Unavailable.class, rig.call("solo"));

        assertEquals("solo: no healthy instance; retry after 10 s", u.message());
    }

    // ---- a run linked to an orchestrator task ---------------------------------------------------------------

    @Test
    void aLinkedRestartStoresItsTaskOnItsTypesFailoverConfigurationAlone() {
        FailoverRig rig = new FailoverRig(stdio("a", "search"), stdio("b", "search"), stdio("x", "other")).started();
        rig.fleet.kill("b");

        Report r = runAs(rig, "task_7", "search", Strategy.RESTART);

        assertEquals(Optional.of("task_7"), rig.failoverConfigs.task("search"));
        assertEquals(Optional.empty(), rig.failoverConfigs.task("other"));
        assertEquals("search (2 instances), strategy restart: 1 of 2 actions succeeded; calls go to a", r.summary(),
                "a failed attempt is still an attempt made: the run acted");
    }

    @Test
    void aLinkedFailoverThatMovesCallsStoresItsTaskAndALaterOneReplacesIt() {
        FailoverRig rig = new FailoverRig(stdio("p", "kv"), stdio("s", "kv")).started();
        rig.seconds(2);

        runAs(rig, "task_7", "kv", Strategy.FAILOVER);
        assertEquals(Optional.of("task_7"), rig.failoverConfigs.task("kv"));

        runAs(rig, "task_8", "kv", Strategy.FAILOVER); // back to p
        assertEquals(Optional.of("task_8"), rig.failoverConfigs.task("kv"));
        assertEquals(List.of("p>s", "s>p"), rig.events(MonitorEvent.FailedOver.class).stream()
                .map(f -> f.from().value() + ">" + f.to().value()).toList());
    }

    @Test
    void aLinkedRunThatDoesNothingLeavesTheTaskOfTheLastRunThatActed() {
        FailoverRig rig = new FailoverRig(stdio("a", "search"), stdio("b", "search"), stdio("c", "solo")).started();
        runAs(rig, "task_1", "search", Strategy.RECONNECT);
        rig.seconds(2);

        runAs(rig, "task_2", "search", Strategy.MANUAL);
        runAs(rig, "task_3", "search", Strategy.AUTO); // every instance is up
        assertEquals(Optional.of("task_1"), rig.failoverConfigs.task("search"));

        Report nowhere = runAs(rig, "task_4", "solo", Strategy.FAILOVER);
        assertFalse(nowhere.steps().get(0).succeeded());
        assertEquals(Optional.empty(), rig.failoverConfigs.task("solo"), "no other instance: nothing moved");
    }

    @Test
    void anUnlinkedRunOrOneWhosePlanWaitsInTheOutboxLinksNothing() {
        FailoverRig rig = new FailoverRig(stdio("a", "search")).started();
        rig.fleet.kill("a");

        run(rig, "search", Strategy.RESTART);
        rig.coordinator.coordinate(new Command(ServerType.of("search"), FailureType.CONNECTION_ERROR,
                Strategy.RESTART, Optional.of(new RunAsTaskUseCase.Context("session_1", Optional.empty()))));
        rig.monitor.flusher().flush();

        assertEquals(Optional.empty(), rig.failoverConfigs.task("search"));
        assertTrue(rig.failures.rows().stream().allMatch(f -> f.orchestratorRecoveryTaskId().isEmpty()),
                rig.failures.rows().toString());
        assertFalse(rig.failures.rows().isEmpty(), "the failed restart opened the episode's row");
    }

    @Test
    void theFailureEpisodeALinkedRestartHandlesCarriesItsTask() {
        FailoverRig rig = new FailoverRig(stdio("a", "search"), stdio("b", "search")).started();
        rig.kill("b"); // recovery's own attempt fails at once: b is down in an episode
        rig.second();

        runAs(rig, "task_7", "search", Strategy.RESTART); // a was up: nothing to handle; b's attempt fails again
        rig.fleet.revive("b");
        rig.seconds(30);
        rig.monitor.flusher().flush();

        List<Failure> rows = rig.failures.rows();
        assertEquals(List.of(id("b")), rows.stream().map(Failure::serverInstance).toList());
        assertTrue(rows.get(0).resolved());
        assertEquals(Optional.of("task_7"), rows.get(0).orchestratorRecoveryTaskId());
    }

    @Test
    void aTaskThatCannotBeStoredIsSaidInTheSummaryAndTheRunStands() {
        FailoverRig rig = new FailoverRig(stdio("a", "search")).started();
        rig.failoverConfigs.unavailable("cannot link a failover task in health.db: database is locked");

        Report r = runAs(rig, "task_7", "search", Strategy.RESTART);

        assertTrue(r.steps().get(0).succeeded());
        assertEquals("search (1 instance), strategy restart: 1 of 1 actions succeeded; calls go to a; task task_7"
                + " could not be stored on the failover configuration: cannot link a failover task in health.db:"
                + " database is locked", r.summary());
    }

    @Test
    void aBalancedPoolsCallsAreSaidToSpreadUntilMovedByHand() {
        FailoverRig rig = new FailoverRig(ResilienceSettings.DEFAULTS, 3, stdio("a", "search"), stdio("b", "search"))
                .started();

        Report r = run(rig, "search", Strategy.AUTO);
        assertTrue(r.summary().endsWith("; calls spread over a, b (p2c)"), r.summary());

        Report moved = run(rig, "search", Strategy.FAILOVER);
        assertTrue(moved.summary().endsWith("; calls go to b"), "a move by hand holds: " + moved.summary());
    }
}

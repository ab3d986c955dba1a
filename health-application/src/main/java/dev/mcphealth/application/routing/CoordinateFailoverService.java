package dev.mcphealth.application.routing;

import dev.mcphealth.application.monitoring.InstanceViews;
import dev.mcphealth.application.recovery.ManualRecovery;

import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.application.port.in.RunAsTaskUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.FailoverConfigStorePort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.application.port.out.StorageUnavailableException;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.routing.InstanceView;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.routing.Balancing;
import dev.mcphealth.domain.routing.FailoverPolicy;
import dev.mcphealth.domain.recovery.RecoveryPolicy;
import dev.mcphealth.application.catalog.StandbyInstances;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The failover coordinator run by hand. {@code restart}/{@code reconnect} act on every instance of the type;
 * {@code auto} only on those that are down (critical, offline, or without a live session), and reports where calls
 * would go; {@code failover} moves calls to the best other instance (or the fallback type); {@code manual} only
 * reports what a person could do.
 * <p>
 * A run linked to an orchestrator task ({@link Command#link} with a task id) is that type's failover task when it
 * acts: when it made at least one restart or reconnect attempt (whether or not it worked), or moved calls. Then the
 * task goes on the type's failover configuration row (orchestrator_failover_task_id), replacing the one before. The
 * coordinator never edits the configured policy itself, so "the task that changed the failover configuration" is read
 * as the last task that carried out the type's failover: the row then answers "which orchestrator task last acted on
 * this type's failover?". A run that did nothing ({@code manual}, {@code auto} with every instance up, an attempt
 * already running, {@code failover} with nowhere to go) leaves the row to the last run that acted. Each attempt of a
 * linked run also links the failure episode it handles to the task (its recovery task).
 */
public final class CoordinateFailoverService implements CoordinateFailoverUseCase {
    private final Map<ServerType, List<MonitoredServer>> pools = new LinkedHashMap<>();
    private final InstanceViews monitor;
    private final ManualRecovery recovery;
    private final BreakerPort breakers;
    private final dev.mcphealth.application.port.out.SessionPort sessions;
    private final ActiveInstances client;
    private final FailoverConfigStorePort configs;
    private final Clock clock;
    private final ResilienceSettings settings;
    private final StandbyInstances standby;

    /** @param configs where a linked run that acts stores its task on the type's failover configuration */
    public CoordinateFailoverService(ServerCatalogPort catalog, InstanceViews monitor, ManualRecovery recovery,
                                     BreakerPort breakers, dev.mcphealth.application.port.out.SessionPort sessions,
                                     ActiveInstances client, FailoverConfigStorePort configs, Clock clock,
                                     ResilienceSettings settings) {
        this(catalog, monitor, recovery, breakers, sessions, client, configs, clock, settings,
                StandbyInstances.NONE);
    }

    /**
     * @param standby the pools' standby instances: a cold one is neither restarted nor reconnected (it is meant not
     *                to run) and calls are never moved to one that is not warm
     */
    public CoordinateFailoverService(ServerCatalogPort catalog, InstanceViews monitor, ManualRecovery recovery,
                                     BreakerPort breakers, dev.mcphealth.application.port.out.SessionPort sessions,
                                     ActiveInstances client, FailoverConfigStorePort configs, Clock clock,
                                     ResilienceSettings settings, StandbyInstances standby) {
        this.standby = Objects.requireNonNull(standby, "standby");
        catalog.servers().forEach(s -> pools.computeIfAbsent(s.type(), t -> new ArrayList<>()).add(s));
        this.monitor = Objects.requireNonNull(monitor);
        this.recovery = Objects.requireNonNull(recovery);
        this.breakers = Objects.requireNonNull(breakers);
        this.sessions = Objects.requireNonNull(sessions);
        this.client = Objects.requireNonNull(client);
        this.configs = Objects.requireNonNull(configs);
        this.clock = Objects.requireNonNull(clock);
        this.settings = Objects.requireNonNull(settings);
    }

    @Override
    public Report coordinate(Command command) {
        List<MonitoredServer> pool = pools.get(command.serverType());
        if (pool == null) {
            throw new UnknownServerTypeException(command.serverType(), pools.keySet());
        }
        List<Step> steps = new ArrayList<>();
        Strategy strategy = command.strategy();
        Optional<String> task = command.link().flatMap(RunAsTaskUseCase.Context::taskId);
        boolean acted = false;
        if (strategy == Strategy.RESTART || strategy == Strategy.RECONNECT || strategy == Strategy.AUTO) {
            for (MonitoredServer s : pool) {
                if (strategy == Strategy.AUTO && !down(s) || !standby.probed(s.id())) {
                    continue;
                }
                Attempted attempted = recover(s, task);
                steps.add(attempted.step());
                acted |= attempted.ran();
            }
        }
        List<InstanceView> views = views(pool);
        Instant now = clock.instant();
        Optional<ServerId> current = client.serving(command.serverType());
        List<ServerId> order = FailoverPolicy.candidates(views, current, settings.failbackAfter(), now);
        Optional<ServerId> serving = order.stream().findFirst();
        if (strategy == Strategy.FAILOVER) {
            // away from the instance calls go to now (the first configured one before any call), not from the best
            // candidate: that one may be the instance calls already moved to, or a healthy one calls never used
            ServerId from = current.orElse(pool.get(0).id());
            Optional<ServerId> to = order.stream().filter(id -> !id.equals(from)).findFirst();
            if (to.isPresent()) {
                client.moveTo(command.serverType(), from, to.get(), "by hand: " + command.failureType().code());
                steps.add(new Step(from, RecoveryAction.FAILOVER, true, "calls go to " + to.get().value(),
                        Duration.ZERO));
                serving = to;
                acted = true;
            } else {
                steps.add(new Step(from, RecoveryAction.FAILOVER, false,
                        "no other instance can serve " + command.serverType().value(), Duration.ZERO));
            }
        }
        String summary = summary(command, pool, steps, serving);
        Balancing balancing = settings.balancing(command.serverType());
        if (balancing.spreads() && !client.movedByHand(command.serverType()) && serving.isPresent()) {
            // a balanced pool's calls go to every usable instance by load or in turn, not to one
            List<String> usable = views.stream().filter(v -> !v.fallback() && v.usable()).map(v -> v.id().value())
                    .toList();
            if (usable.size() > 1) {
                summary = summary.replace("; calls go to " + serving.get().value(), "; calls spread over "
                        + String.join(", ", usable) + " (" + balancing.code() + ")");
            }
        }
        if (acted && task.isPresent()) {
            summary += linkFailoverTask(command.serverType(), task.get());
        }
        return new Report(command.serverType(), strategy, steps, serving, summary);
    }

    /** Stores the task on the type's failover configuration; what the summary adds when it could not. */
    private String linkFailoverTask(ServerType type, String task) {
        try {
            return configs.linkFailoverTask(type, task) ? ""
                    : "; no failover configuration of " + type.value() + " is stored to link task " + task + " to";
        } catch (StorageUnavailableException e) {
            return "; task " + task + " could not be stored on the failover configuration: " + e.getMessage();
        }
    }

    private boolean down(MonitoredServer s) {
        InstanceView v = monitor.view(s.id(), false, breakers.state(s.id()));
        return !v.usable() || !sessions.isOpen(s.id());
    }

    /** One instance's step, and whether an attempt was made for it ({@code ran}). */
    private record Attempted(Step step, boolean ran) {
    }

    private Attempted recover(MonitoredServer s, Optional<String> task) {
        Instant start = clock.instant();
        List<MonitorEvent> raised = recovery.attemptNow(s.id(), task);
        Duration took = Duration.between(start, clock.instant());
        RecoveryAction action = RecoveryPolicy.actionFor(s.transport());
        boolean ran = !raised.isEmpty();
        for (MonitorEvent e : raised) {
            if (e instanceof MonitorEvent.RecoverySucceeded) {
                return new Attempted(new Step(s.id(), action, true, "up again", took), ran);
            }
            if (e instanceof MonitorEvent.RecoveryFailed f) {
                return new Attempted(new Step(s.id(), action, false,
                        f.failure().type().code() + ": " + f.failure().message(), took), ran);
            }
        }
        return new Attempted(new Step(s.id(), action, false, "a recovery attempt is already running", took), ran);
    }

    private List<InstanceView> views(List<MonitoredServer> pool) {
        List<InstanceView> views = new ArrayList<>();
        pool.stream().filter(s -> standby.serves(s.id()))
                .forEach(s -> views.add(monitor.view(s.id(), false, breakers.state(s.id()))));
        var config = pool.get(0).failover();
        if (config.fallbackStrategy() == FallbackStrategy.ALTERNATIVE_SERVER) {
            config.fallbackServerType().map(pools::get).ifPresent(p -> p.stream()
                    .filter(s -> standby.serves(s.id()))
                    .forEach(s -> views.add(monitor.view(s.id(), true, breakers.state(s.id())))));
        }
        return views;
    }

    private static String summary(Command c, List<MonitoredServer> pool, List<Step> steps,
                                  Optional<ServerId> serving) {
        StringBuilder s = new StringBuilder(c.serverType().value()).append(" (").append(pool.size())
                .append(pool.size() == 1 ? " instance" : " instances").append("), strategy ")
                .append(c.strategy().code()).append(": ");
        if (c.strategy() == Strategy.MANUAL) {
            s.append("nothing done; run with --strategy restart, reconnect or failover to act");
        } else if (steps.isEmpty()) {
            s.append("every instance is up; nothing to do");
        } else {
            long ok = steps.stream().filter(Step::succeeded).count();
            s.append(ok).append(" of ").append(steps.size()).append(" actions succeeded");
        }
        s.append(serving.map(id -> "; calls go to " + id.value()).orElse("; no instance can serve now"));
        return s.toString();
    }
}

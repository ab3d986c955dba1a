package dev.mcphealth.application.service;

import dev.mcphealth.application.port.in.CoordinateFailoverUseCase;
import dev.mcphealth.application.port.in.UnknownServerTypeException;
import dev.mcphealth.application.port.out.BreakerPort;
import dev.mcphealth.application.port.out.ServerCatalogPort;
import dev.mcphealth.domain.model.FallbackStrategy;
import dev.mcphealth.domain.model.InstanceView;
import dev.mcphealth.domain.model.MonitorEvent;
import dev.mcphealth.domain.model.MonitoredServer;
import dev.mcphealth.domain.model.RecoveryAction;
import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.ServerType;
import dev.mcphealth.domain.policy.FailoverPolicy;
import dev.mcphealth.domain.policy.RecoveryPolicy;
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
 */
public final class CoordinateFailoverService implements CoordinateFailoverUseCase {
    private final Map<ServerType, List<MonitoredServer>> pools = new LinkedHashMap<>();
    private final MonitoringService monitor;
    private final RecoveryService recovery;
    private final BreakerPort breakers;
    private final dev.mcphealth.application.port.out.SessionPort sessions;
    private final ResilientCallService client;
    private final Clock clock;
    private final ResilienceSettings settings;

    public CoordinateFailoverService(ServerCatalogPort catalog, MonitoringService monitor, RecoveryService recovery,
                                     BreakerPort breakers, dev.mcphealth.application.port.out.SessionPort sessions,
                                     ResilientCallService client, Clock clock, ResilienceSettings settings) {
        catalog.servers().forEach(s -> pools.computeIfAbsent(s.type(), t -> new ArrayList<>()).add(s));
        this.monitor = Objects.requireNonNull(monitor);
        this.recovery = Objects.requireNonNull(recovery);
        this.breakers = Objects.requireNonNull(breakers);
        this.sessions = Objects.requireNonNull(sessions);
        this.client = Objects.requireNonNull(client);
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
        if (strategy == Strategy.RESTART || strategy == Strategy.RECONNECT || strategy == Strategy.AUTO) {
            for (MonitoredServer s : pool) {
                if (strategy == Strategy.AUTO && !down(s)) {
                    continue;
                }
                steps.add(recover(s));
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
            } else {
                steps.add(new Step(from, RecoveryAction.FAILOVER, false,
                        "no other instance can serve " + command.serverType().value(), Duration.ZERO));
            }
        }
        return new Report(command.serverType(), strategy, steps, serving, summary(command, pool, steps, serving));
    }

    private boolean down(MonitoredServer s) {
        InstanceView v = monitor.view(s.id(), false, breakers.state(s.id()));
        return !v.usable() || !sessions.isOpen(s.id());
    }

    private Step recover(MonitoredServer s) {
        Instant start = clock.instant();
        List<MonitorEvent> raised = recovery.attemptNow(s.id());
        Duration took = Duration.between(start, clock.instant());
        RecoveryAction action = RecoveryPolicy.actionFor(s.transport());
        for (MonitorEvent e : raised) {
            if (e instanceof MonitorEvent.RecoverySucceeded) {
                return new Step(s.id(), action, true, "up again", took);
            }
            if (e instanceof MonitorEvent.RecoveryFailed f) {
                return new Step(s.id(), action, false, f.failure().type().code() + ": " + f.failure().message(), took);
            }
        }
        return new Step(s.id(), action, false, "a recovery attempt is already running", took);
    }

    private List<InstanceView> views(List<MonitoredServer> pool) {
        List<InstanceView> views = new ArrayList<>();
        pool.forEach(s -> views.add(monitor.view(s.id(), false, breakers.state(s.id()))));
        var config = pool.get(0).failover();
        if (config.fallbackStrategy() == FallbackStrategy.ALTERNATIVE_SERVER) {
            config.fallbackServerType().map(pools::get).ifPresent(p ->
                    p.forEach(s -> views.add(monitor.view(s.id(), true, breakers.state(s.id())))));
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

package dev.mcphealth.application.tuning;

import dev.mcphealth.domain.model.ServerId;
import dev.mcphealth.domain.model.WindowStats;
import dev.mcphealth.domain.tuning.ChangeTrial;
import dev.mcphealth.domain.tuning.TrialPhase;
import dev.mcphealth.domain.tuning.TuningAdvice.Recommendation;
import dev.mcphealth.domain.tuning.TuningAdvice.Setting;
import dev.mcphealth.domain.tuning.TuningAdvice.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trials of one run: those running, the latest {@link #KEPT_ENDED} ended, and the values rolled back within the
 * ban (bounded memory however many changes are applied: at most one banned value per server, setting and value, each
 * dropped once its ban is over). Not thread-safe: {@link ApplyTuningService} locks.
 */
final class TrialBook {
    static final int KEPT_ENDED = 100;

    /** The most trials waiting to be written; past it the oldest entries are dropped (the store away for long). */
    static final int MOST_UNSAVED = 1_000;

    /** Trials changed since they were last written (the store was away): one entry per trial, its latest state. */
    private final Map<Long, ChangeTrial> unsaved = new LinkedHashMap<>();
    /** Whether the trials a stopped run left running are marked so (done before this run writes any). */
    private boolean closedEarlier;
    private final List<ChangeTrial> running = new ArrayList<>();
    private final Deque<ChangeTrial> ended = new ArrayDeque<>();
    /** Values rolled back, by server and setting, with the trial that rolled each back (the latest per value). */
    private final Map<Banned, ChangeTrial> banned = new HashMap<>();
    private long lastId;

    private record Banned(ServerId server, Setting setting, Value value) {
    }

    /** Whether the trials a stopped run left running still have to be marked stopped. */
    boolean needsClosing() {
        return !closedEarlier;
    }

    /**
     * The trials a stopped run left running are marked stopped; {@code earlier} are the trials of earlier runs within
     * the ban, whose rolled-back values are banned here too (a restart does not clear the ban).
     */
    void closed(List<ChangeTrial> earlier) {
        closedEarlier = true;
        for (ChangeTrial t : earlier) {
            if (t.phase() == TrialPhase.ROLLED_BACK) {
                banned.merge(new Banned(t.server(), t.setting(), t.now()), t,
                        (a, b) -> a.endedAt().orElseThrow().isAfter(b.endedAt().orElseThrow()) ? a : b);
            }
        }
    }

    /** The trials to write, oldest change first. */
    List<ChangeTrial> toSave() {
        return List.copyOf(unsaved.values());
    }

    /** {@code written} were written: each leaves the queue unless it changed again meanwhile. */
    void saved(List<ChangeTrial> written) {
        for (ChangeTrial t : written) {
            unsaved.remove(t.id(), t);
        }
    }

    private void unsaved(ChangeTrial t) {
        unsaved.remove(t.id());
        unsaved.put(t.id(), t);
        while (unsaved.size() > MOST_UNSAVED) {
            unsaved.remove(unsaved.keySet().iterator().next());
        }
    }

    /**
     * Why {@code r} may not be applied now, if it may not: a change to its server from an earlier apply is still on
     * trial (changes judged on the same windows could not be told apart: those of one apply are judged together), or
     * the same value was rolled back less than {@code notAgainFor} ago.
     *
     * @param batch the trials the apply under way has started
     */
    Optional<String> refusal(Recommendation r, Instant now, Duration notAgainFor, List<ChangeTrial> batch) {
        for (ChangeTrial t : running) {
            if (t.server().equals(r.server()) && batch.stream().noneMatch(b -> b.id() == t.id())) {
                return Optional.of("a change to " + r.server().value() + " (" + t.setting().code() + " "
                        + t.setting().text(t.was()) + " -> " + t.setting().text(t.now()) + ") is on trial until "
                        + t.judgeAt() + "; ask again after");
            }
        }
        banned.values().removeIf(t -> !t.endedAt().orElseThrow().plus(notAgainFor).isAfter(now));
        ChangeTrial t = r.proposedValue().map(v -> banned.get(new Banned(r.server(), r.setting(), v))).orElse(null);
        if (t != null) {
            return Optional.of("rolled back at " + t.endedAt().orElseThrow() + " after its trial ("
                    + t.judgement().orElseThrow().evidence().get(0) + "); not tried again before "
                    + t.endedAt().orElseThrow().plus(notAgainFor));
        }
        return Optional.empty();
    }

    ChangeTrial start(ServerId server, Setting setting, Value was, Value now, Instant at, Duration window,
                      WindowStats before) {
        ChangeTrial t = ChangeTrial.start(++lastId, server, setting, was, now, at, window, before);
        running.add(t);
        unsaved(t);
        return t;
    }

    /** The running trials whose window is over at {@code now}, in the order they were applied. */
    List<ChangeTrial> due(Instant now) {
        return running.stream().filter(t -> t.due(now)).toList();
    }

    void ended(ChangeTrial t) {
        running.removeIf(r -> r.id() == t.id());
        unsaved(t);
        if (t.phase() == TrialPhase.ROLLED_BACK) {
            banned.put(new Banned(t.server(), t.setting(), t.now()), t);
        }
        ended.addFirst(t);
        while (ended.size() > KEPT_ENDED) {
            ended.removeLast();
        }
    }

    /** Running and ended, newest first. */
    List<ChangeTrial> all() {
        List<ChangeTrial> all = new ArrayList<>(running);
        all.addAll(ended);
        all.sort(java.util.Comparator.comparing(ChangeTrial::appliedAt).thenComparing(ChangeTrial::id).reversed());
        return all;
    }

}

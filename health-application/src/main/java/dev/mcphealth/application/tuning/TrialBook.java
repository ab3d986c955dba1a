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
import java.util.List;
import java.util.Optional;

/**
 * The trials of one run: those running, and the latest {@link #KEPT_ENDED} ended (bounded memory however many changes
 * are applied). Not thread-safe: {@link ApplyTuningService} locks.
 */
final class TrialBook {
    static final int KEPT_ENDED = 100;

    private final List<ChangeTrial> running = new ArrayList<>();
    private final Deque<ChangeTrial> ended = new ArrayDeque<>();
    private long lastId;

    /**
     * Why {@code r} may not be applied now, if it may not: its setting's last change is still on trial (two changes
     * to one setting at once could not be told apart), or the same value was rolled back less than
     * {@code notAgainFor} ago.
     */
    Optional<String> refusal(Recommendation r, Instant now, Duration notAgainFor) {
        for (ChangeTrial t : running) {
            if (same(t, r.server(), r.setting())) {
                return Optional.of("its last change (" + r.setting().text(t.was()) + " -> "
                        + r.setting().text(t.now()) + ") is on trial until " + t.judgeAt() + "; ask again after");
            }
        }
        for (ChangeTrial t : ended) {
            if (t.phase() == TrialPhase.ROLLED_BACK && same(t, r.server(), r.setting())
                    && r.proposedValue().filter(t.now()::equals).isPresent()
                    && t.endedAt().orElseThrow().plus(notAgainFor).isAfter(now)) {
                return Optional.of("rolled back at " + t.endedAt().orElseThrow() + " after its trial ("
                        + t.judgement().orElseThrow().evidence().get(0) + "); not tried again before "
                        + t.endedAt().orElseThrow().plus(notAgainFor));
            }
        }
        return Optional.empty();
    }

    ChangeTrial start(ServerId server, Setting setting, Value was, Value now, Instant at, Duration window,
                      WindowStats before) {
        ChangeTrial t = ChangeTrial.start(++lastId, server, setting, was, now, at, window, before);
        running.add(t);
        return t;
    }

    /** The running trials whose window is over at {@code now}, in the order they were applied. */
    List<ChangeTrial> due(Instant now) {
        return running.stream().filter(t -> t.due(now)).toList();
    }

    void ended(ChangeTrial t) {
        running.removeIf(r -> r.id() == t.id());
        ended.addFirst(t);
        while (ended.size() > KEPT_ENDED) {
            ended.removeLast();
        }
    }

    /** Running and ended, newest first. */
    List<ChangeTrial> all() {
        List<ChangeTrial> all = new ArrayList<>(running);
        java.util.Collections.reverse(all);
        all.addAll(ended);
        all.sort(java.util.Comparator.comparing(ChangeTrial::appliedAt).thenComparing(ChangeTrial::id).reversed());
        return all;
    }

    private static boolean same(ChangeTrial t, ServerId server, Setting setting) {
        return t.server().equals(server) && t.setting() == setting;
    }
}

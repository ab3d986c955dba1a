package dev.mcphealth.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A change applied to the running monitor has been judged over its trial window: the server's figures over the window
 * before the change ({@code before}) and over the same length after it ({@code after}), the verdict with its evidence,
 * and what became of the change: kept, rolled back to {@code was}, or left as someone else had changed it meanwhile.
 *
 * @param setting the setting's code ({@code probe_timeout_ms}, ...)
 * @param was     the value before the change, as the advice writes it
 * @param now     the value the change set
 */
public record ChangeJudged(ServerId server, String setting, String was, String now, Outcome outcome,
                           TrialVerdict verdict, List<String> evidence, WindowStats before, WindowStats after,
                           Instant appliedAt, Instant at) implements MonitorEvent {

    /** What became of a judged change. */
    public enum Outcome implements Coded {
        /** The verdict was not worse: the change stays. */
        KEPT("kept"),
        /** The verdict was worse: the value before the change is in force again. */
        ROLLED_BACK("rolled_back"),
        /**
         * Not rolled back: the setting no longer held the change's value when it was judged (changed by someone else),
         * or refused the value before it.
         */
        OVERTAKEN("overtaken");

        private final String code;

        Outcome(String code) {
            this.code = code;
        }

        @Override
        public String code() {
            return code;
        }
    }

    public ChangeJudged {
        Objects.requireNonNull(server, "server");
        Text.requireText(setting, "setting");
        Text.requireText(was, "was");
        Text.requireText(now, "now");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(verdict, "verdict");
        evidence = List.copyOf(evidence);
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(at, "at");
        if (at.isBefore(appliedAt)) {
            throw new IllegalArgumentException("a change is judged after it was applied");
        }
        if (outcome == Outcome.ROLLED_BACK && verdict != TrialVerdict.WORSE) {
            throw new IllegalArgumentException("only a change judged worse is rolled back");
        }
    }

    @Override
    public String kind() {
        return "change_judged";
    }
}

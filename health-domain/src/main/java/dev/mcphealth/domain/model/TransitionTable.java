package dev.mcphealth.domain.model;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The legal changes of a state machine whose states are an enum, looked up by (from, to): what a transition enum
 * (as resilience4j's {@code StateTransition}) keeps beside its constants.
 *
 * @param <S> the states
 * @param <T> the transitions, each from one state to another
 */
public final class TransitionTable<S extends Enum<S>, T extends Enum<T>> {
    private final Map<S, Map<S, T>> table;
    private final String what;

    /**
     * @param what what changes state, for the message of an illegal change ("recovery", "health")
     */
    public TransitionTable(Class<S> states, T[] transitions, Function<T, S> from, Function<T, S> to, String what) {
        this.table = new EnumMap<>(states);
        this.what = Objects.requireNonNull(what, "what");
        for (T t : transitions) {
            S a = from.apply(t);
            S b = to.apply(t);
            if (a == b) {
                throw new IllegalArgumentException(t + " is no change");
            }
            if (table.computeIfAbsent(a, x -> new EnumMap<>(states)).put(b, t) != null) {
                throw new IllegalArgumentException(a + " -> " + b + " is listed twice");
            }
        }
    }

    /** The transition from {@code from} to {@code to}, if the table has it. */
    public Optional<T> find(S from, S to) {
        return Optional.ofNullable(table.getOrDefault(from, Map.of()).get(to));
    }

    /**
     * The transition from {@code from} to {@code to}.
     *
     * @throws IllegalStateException if the table has none
     */
    public T between(S from, S to) {
        return find(from, to).orElseThrow(() -> new IllegalStateException(
                "illegal " + what + " transition " + from + " -> " + to));
    }
}

package dev.mcphealth.application.port.out;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The outbox in memory: the fake {@link OutboxContract} holds to the SQLite outbox's rules. A new service over the
 * same instance is a restart. {@link #failNext} makes the next call of one operation fail as a full disk would,
 * changing nothing.
 */
public final class InMemoryOutbox implements OutboxPort {
    /** The operations {@link #failNext} can make fail. */
    public enum Operation { ADD, CLAIM, RELEASE, SETTLE }

    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private final Map<Long, String> notes = new java.util.HashMap<>();
    private final List<Operation> failing = new ArrayList<>();
    private long lastId;

    /** The next call of {@code op} throws {@link StorageUnavailableException} and changes nothing. */
    public synchronized InMemoryOutbox failNext(Operation op) {
        failing.add(op);
        return this;
    }

    private void maybeFail(Operation op) {
        if (failing.remove(op)) {
            throw new StorageUnavailableException("cannot " + op.name().toLowerCase() + " in the outbox: disk is full",
                    null);
        }
    }

    @Override
    public synchronized long add(Call call, Instant at) {
        maybeFail(Operation.ADD);
        if (call.taskFrom().isPresent()) {
            long from = call.taskFrom().getAsLong();
            Entry plan = entries.get(from);
            if (plan == null || !plan.run().equals(call.run())) {
                throw new IllegalArgumentException("taskFrom " + from + " is not an entry of run \"" + call.run()
                        + "\"");
            }
        }
        long id = ++lastId;
        entries.put(id, Entry.added(id, call, at));
        return id;
    }

    @Override
    public synchronized Optional<Entry> entry(long id) {
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public synchronized List<Entry> unsettled(long afterId, int limit) {
        return entries.tailMap(afterId, false).values().stream()
                .filter(e -> !e.state().settled())
                .limit(limit)
                .collect(Collectors.toList());
    }

    @Override
    public synchronized long countUnsettled() {
        return entries.values().stream().filter(e -> !e.state().settled()).count();
    }

    @Override
    public synchronized List<Entry> run(String run) {
        return entries.values().stream().filter(e -> e.run().equals(run)).collect(Collectors.toList());
    }

    @Override
    public synchronized boolean claim(long id, OrchestratorRequest sent) {
        maybeFail(Operation.CLAIM);
        Entry e = entries.get(id);
        if (e != null && e.tool() != sent.tool()) {
            throw new IllegalArgumentException("a " + e.tool().code() + " entry cannot be sent as "
                    + sent.tool().code());
        }
        if (e == null || e.state() != State.PENDING) {
            return false;
        }
        entries.put(id, new Entry(id, e.call().sent(sent), e.createdAt(), State.SENDING,
                e.attempts() + 1, e.lastError(), Optional.empty()));
        return true;
    }

    @Override
    public synchronized void release(long id, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
        Entry e = in(id, State.SENDING);
        maybeFail(Operation.RELEASE);
        entries.put(id, new Entry(id, e.call(), e.createdAt(), State.PENDING, e.attempts(), Optional.of(reason),
                Optional.empty()));
    }

    @Override
    public synchronized void settle(long id, Ending ending) {
        Entry e = in(id, ending instanceof Replied ? State.SENDING : State.PENDING);
        maybeFail(Operation.SETTLE);
        entries.put(id, new Entry(id, e.call(), e.createdAt(), ending.state(), e.attempts(), e.lastError(),
                Optional.of(ending)));
    }

    @Override
    public synchronized long record(Call call, Instant at, Ending ending) {
        maybeFail(Operation.ADD);
        java.util.Objects.requireNonNull(ending, "ending");
        if (call.taskFrom().isPresent()) {
            long from = call.taskFrom().getAsLong();
            Entry plan = entries.get(from);
            if (plan == null || !plan.run().equals(call.run())) {
                throw new IllegalArgumentException("taskFrom " + from + " is not an entry of run \"" + call.run()
                        + "\"");
            }
        }
        long id = ++lastId;
        entries.put(id, new Entry(id, call, at, ending.state(), ending instanceof Replied ? 1 : 0,
                Optional.empty(), Optional.of(ending)));
        return id;
    }

    @Override
    public synchronized List<Entry> unreconciledPlans(long afterId, int limit) {
        return entries.tailMap(afterId, false).values().stream()
                .filter(e -> e.tool() == OrchestratorTool.PLAN_TASK && e.state().settled()
                        && !notes.containsKey(e.id()))
                .limit(limit)
                .collect(Collectors.toList());
    }

    @Override
    public synchronized void reconciled(long planEntry, String note, Instant at) {
        if (note == null || note.isBlank()) {
            throw new IllegalArgumentException("note must not be blank");
        }
        java.util.Objects.requireNonNull(at, "at");
        Entry e = entries.get(planEntry);
        if (e == null || e.tool() != OrchestratorTool.PLAN_TASK || !e.state().settled()) {
            throw new IllegalStateException("outbox entry " + planEntry + " is not a settled plan_task entry");
        }
        if (notes.containsKey(planEntry)) {
            throw new IllegalStateException("outbox entry " + planEntry + " is already reconciled");
        }
        maybeFail(Operation.SETTLE);
        notes.put(planEntry, note);
    }

    @Override
    public synchronized Optional<String> reconciliation(long planEntry) {
        return Optional.ofNullable(notes.get(planEntry));
    }

    @Override
    public synchronized boolean knowsTask(String taskId) {
        return entries.values().stream().anyMatch(e -> e.ending().filter(Replied.class::isInstance)
                .map(r -> ((Replied) r).taskId().equals(Optional.of(taskId))).orElse(false));
    }

    private Entry in(long id, State expected) {
        Entry e = entries.get(id);
        if (e == null) {
            throw new IllegalStateException("no outbox entry " + id);
        }
        if (e.state() != expected) {
            throw new IllegalStateException("outbox entry " + id + " is " + e.state().code() + ", not "
                    + expected.code());
        }
        return e;
    }
}

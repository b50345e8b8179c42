package io.portico.core.upstream;

import io.portico.core.config.RetryConfig;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many retries an upstream may make now, so that retries cannot snowball when its endpoints
 * struggle: at most {@code budget-percent} of the requests of the last ten seconds, plus
 * {@code min-retries-per-second} for each of those seconds, so that a quiet upstream can still
 * fail over.
 *
 * <pre>{@code
 * budget.requestStarted(now);           // every request, once
 * if (budget.tryRetry(now)) { ... }     // before each retry that sends the request again
 * }</pre>
 *
 * <p>Requests and retries are counted in ten one-second slots, a ring that forgets its oldest
 * second as time moves on. Thread-safe and lock-free; counting a request costs one read of the
 * slot's second and one {@link LongAdder} increment. The count is approximate on purpose: a
 * request counted while its slot turns to a new second may be lost, and retries decided at the
 * same instant on several threads may overshoot the budget by that many.
 */
public final class RetryBudget {

    private static final int SLOTS = 10;
    private static final long SECOND = 1_000_000_000L;

    private final int percent;
    private final long reserve;
    /** The second (of {@link System#nanoTime()}) each slot counts; a slot of an older second is stale. */
    private final AtomicLongArray seconds = new AtomicLongArray(SLOTS);
    private final LongAdder[] requests = new LongAdder[SLOTS];
    private final LongAdder[] retries = new LongAdder[SLOTS];

    /** A budget with the share and floor of {@code config}. */
    public RetryBudget(RetryConfig config) {
        this.percent = config.budgetPercent();
        this.reserve = (long) config.minRetriesPerSecond() * SLOTS;
        for (int i = 0; i < SLOTS; i++) {
            requests[i] = new LongAdder();
            retries[i] = new LongAdder();
            seconds.set(i, Long.MIN_VALUE);
        }
    }

    /** Counts a request (not its retries) that started at {@code nowNanos}. */
    public void requestStarted(long nowNanos) {
        requests[slot(nowNanos)].increment();
    }

    /**
     * Takes one retry from the budget at {@code nowNanos}.
     *
     * @return whether the retry may happen; when it may, it is counted
     */
    public boolean tryRetry(long nowNanos) {
        int current = slot(nowNanos);
        long second = Math.floorDiv(nowNanos, SECOND);
        long requested = 0;
        long retried = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (seconds.get(i) > second - SLOTS) {
                requested += requests[i].sum();
                retried += retries[i].sum();
            }
        }
        if (retried * 100 >= requested * percent + reserve * 100) {
            return false;
        }
        retries[current].increment();
        return true;
    }

    /** The slot of {@code nowNanos}'s second, cleared first when it still holds an older second. */
    private int slot(long nowNanos) {
        long second = Math.floorDiv(nowNanos, SECOND);
        int slot = (int) Math.floorMod(second, SLOTS);
        long held = seconds.get(slot);
        if (held < second && seconds.compareAndSet(slot, held, second)) {
            requests[slot].reset();
            retries[slot].reset();
        }
        return slot;
    }
}

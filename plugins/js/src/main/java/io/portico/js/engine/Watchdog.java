package io.portico.js.engine;

import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread ({@code portico-js-watchdog}) that stops script runs past their deadline.
 *
 * <p>Every {@value #TICK_MILLIS} ms it asks each {@link GuardedContext} in a run whether the run
 * is over its limit. This costs a script call two uncontended locks, instead of scheduling and
 * cancelling a timer task per call, which would allocate and contend on a shared queue on every
 * request; and only runs that last longer than a tick ever have their CPU time read.
 *
 * <p>Contexts are held weakly: one that is dropped (its thread ended, its filter was replaced) is
 * forgotten.
 */
final class Watchdog {

    static final long TICK_MILLIS = 10;

    private static final ConcurrentLinkedQueue<WeakReference<GuardedContext>> WATCHED = new ConcurrentLinkedQueue<>();

    static {
        Thread.ofPlatform().daemon().name("portico-js-watchdog").start(Watchdog::run);
    }

    private Watchdog() {
    }

    static void watch(GuardedContext context) {
        WATCHED.add(new WeakReference<>(context));
    }

    private static void run() {
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            for (Iterator<WeakReference<GuardedContext>> it = WATCHED.iterator(); it.hasNext(); ) {
                GuardedContext context = it.next().get();
                if (context == null) {
                    it.remove();
                } else {
                    context.check(now);
                }
            }
        }
    }
}

package io.portico.js.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A context whose guest code runs under a CPU time limit enforced by the {@link Watchdog}.
 *
 * <pre>{@code
 * guarded.start(limitNanos);
 * boolean expired;
 * try {
 *     function.execute(args);
 * } finally {
 *     expired = guarded.stop();
 * }
 * }</pre>
 *
 * <p>The limit counts the CPU time of the running thread, so a run is not stopped because the
 * machine is busy and its thread waited for a core. The watchdog starts counting when it first
 * sees a run (on its first tick into the run), so a run is stopped after between its limit and
 * one tick more. A run that uses little CPU but lasts long in wall time (blocked, or starved) is
 * stopped at ten times its limit, and at least after a second. Where the JVM cannot measure
 * thread CPU time, the limit is wall time.
 *
 * <p>When a run is over its limit the watchdog {@linkplain Context#interrupt interrupts} it: the
 * guest code fails with a {@code PolyglotException} and {@link #stop()} returns {@code true}. The
 * context stays usable. Start and stop are cheap (two uncontended locks, no clock but {@link
 * System#nanoTime()}); the lock makes sure an interrupt meant for one run never hits the next.
 */
public final class GuardedContext implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedContext.class);
    /** How long the watchdog waits for interrupted code to stop before closing the context. */
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(1);
    private static final long MIN_WALL_LIMIT = TimeUnit.SECONDS.toNanos(1);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = cpuTimeAvailable();

    private final Context context;
    private final String owner;
    private Thread thread;
    /** Whether a run is going on. */
    private boolean running;
    private long limitNanos;
    private long startNanos;
    /** The thread's CPU time when the watchdog first saw the current run; -1 before. */
    private long cpuAtFirstSight;
    private boolean expired;

    /**
     * Guards {@code context}.
     *
     * @param owner what runs in it, for the watchdog's log (a script name)
     */
    public GuardedContext(Context context, String owner) {
        this.context = context;
        this.owner = owner;
        Watchdog.watch(this);
    }

    private static boolean cpuTimeAvailable() {
        try {
            if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
                THREADS.setThreadCpuTimeEnabled(true);
            }
            return THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** The context; enter it only between {@link #start} and {@link #stop}. */
    public Context context() {
        return context;
    }

    /** Starts (or restarts, with a new limit) a run on the calling thread that may use {@code limitNanos} of CPU. */
    public synchronized void start(long limitNanos) {
        this.thread = Thread.currentThread();
        this.limitNanos = limitNanos;
        this.startNanos = System.nanoTime();
        this.cpuAtFirstSight = -1;
        this.running = true;
        this.expired = false;
    }

    /** Ends the run; returns whether the watchdog interrupted it. */
    public synchronized boolean stop() {
        running = false;
        thread = null;
        return expired;
    }

    /** Called by the watchdog on each tick: interrupts the run when it is over its limit. */
    synchronized void check(long now) {
        if (!running || expired) {
            return;
        }
        long wall = now - startNanos;
        boolean over;
        if (CPU_TIME) {
            long cpu = THREADS.getThreadCpuTime(thread.threadId());
            if (cpuAtFirstSight < 0) {
                cpuAtFirstSight = cpu;
            }
            over = cpu - cpuAtFirstSight >= limitNanos || wall >= Math.max(MIN_WALL_LIMIT, 10 * limitNanos);
        } else {
            over = wall >= limitNanos;
        }
        if (over) {
            interrupt();
        }
    }

    private void interrupt() {
        expired = true;
        try {
            context.interrupt(INTERRUPT_WAIT);
        } catch (TimeoutException e) {
            LOG.error("{}: the script did not stop within {} ms of being interrupted; closing its context",
                    owner, INTERRUPT_WAIT.toMillis());
            context.close(true);
        } catch (RuntimeException e) {
            // Closed meanwhile: nothing left to stop.
            LOG.debug("{}: interrupting failed", owner, e);
        }
    }

    @Override
    public void close() {
        context.close(true);
    }
}

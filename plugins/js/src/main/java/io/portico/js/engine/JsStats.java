package io.portico.js.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what went wrong with JavaScript filters in this process, for tests and metrics.
 * Each failure is also logged with the script's name.
 */
public final class JsStats {

    private static final LongAdder TIMEOUTS = new LongAdder();
    private static final LongAdder ERRORS = new LongAdder();
    private static final LongAdder RELOADS = new LongAdder();
    private static final LongAdder FAILED_RELOADS = new LongAdder();

    private JsStats() {
    }

    /** Script calls stopped because they ran past their time limit. */
    public static long timeouts() {
        return TIMEOUTS.sum();
    }

    /** Script calls that threw (or were given bad arguments by the script, or returned a bad answer). */
    public static long errors() {
        return ERRORS.sum();
    }

    /** Changed script files put in service. */
    public static long reloads() {
        return RELOADS.sum();
    }

    /** Changed script files refused (syntax error, missing exports): the previous version kept serving. */
    public static long failedReloads() {
        return FAILED_RELOADS.sum();
    }

    /** Counts a call stopped at its time limit. */
    public static void timedOut() {
        TIMEOUTS.increment();
    }

    /** Counts a call that failed. */
    public static void failed() {
        ERRORS.increment();
    }

    /** Counts a reload. */
    public static void reloaded() {
        RELOADS.increment();
    }

    /** Counts a refused reload. */
    public static void reloadFailed() {
        FAILED_RELOADS.increment();
    }
}

package io.portico.js.script;

import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread ({@code portico-js-reload}) that looks at every loaded script's size and
 * modification time every {@value #INTERVAL_MILLIS} ms, and reloads the ones that changed.
 *
 * <p>Polling rather than a {@code WatchService}: it also sees a file replaced through a symbolic
 * link (a Kubernetes ConfigMap swaps a {@code ..data} link, which a directory watch on the script's
 * directory does not report) and files on network file systems, where inotify is silent. It costs
 * one {@code stat} per script per interval, off the event loops; requests never touch the disk.
 *
 * <p>Scripts are held weakly: one whose filter is gone is forgotten.
 */
final class ScriptReloader {

    static final long INTERVAL_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(ScriptReloader.class);
    private static final ConcurrentLinkedQueue<WeakReference<ScriptFile>> WATCHED = new ConcurrentLinkedQueue<>();

    static {
        Thread.ofPlatform().daemon().name("portico-js-reload").start(ScriptReloader::run);
    }

    private ScriptReloader() {
    }

    static void watch(ScriptFile file) {
        WATCHED.add(new WeakReference<>(file));
    }

    private static void run() {
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS));
            for (Iterator<WeakReference<ScriptFile>> it = WATCHED.iterator(); it.hasNext(); ) {
                ScriptFile file = it.next().get();
                if (file == null) {
                    it.remove();
                    continue;
                }
                try {
                    file.refresh();
                } catch (RuntimeException e) {
                    LOG.error("{}: reloading failed", file.name(), e);
                }
            }
        }
    }
}

package io.portico.core.proxy;

/** Reading the causes of failures, for log lines, error bodies and retry decisions. */
final class Causes {

    private Causes() {
    }

    /** The message of the innermost cause (its class name when it has none). */
    static String reason(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    /** Whether {@code cause} or one of its causes is a {@code type}. */
    static boolean causedBy(Throwable cause, Class<? extends Throwable> type) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}

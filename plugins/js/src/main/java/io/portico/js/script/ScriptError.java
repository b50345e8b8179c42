package io.portico.js.script;

import java.util.regex.Pattern;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/**
 * Where a script failed, for log messages: {@code filters/deny.js:12: ReferenceError: x is not
 * defined}.
 */
public final class ScriptError {

    private ScriptError() {
    }

    /**
     * Describes {@code e} as {@code file:line: message}, with the innermost script frame's file
     * and line (also for an error thrown by Portico's own objects, such as a bad argument to
     * {@code headers.set}); {@code fallbackName} when no script frame is known.
     */
    public static String describe(PolyglotException e, String fallbackName) {
        SourceSection at = e.getSourceLocation();
        if (at == null || !at.isAvailable()) {
            at = null;
            for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                if (frame.isGuestFrame() && frame.getSourceLocation() != null
                        && frame.getSourceLocation().isAvailable()) {
                    at = frame.getSourceLocation();
                    break;
                }
            }
        }
        String where = at == null ? fallbackName : at.getSource().getName() + ":" + at.getStartLine();
        String message = e.isHostException() ? e.asHostException().getMessage() : e.getMessage();
        if (e.isSyntaxError() && at != null) {
            // "SyntaxError: name:3:0 Expected , but found }\n}\n^ ...": keep the first line, without
            // the location already given in front.
            message = message.lines().findFirst().orElse(message)
                    .replaceFirst(Pattern.quote(at.getSource().getName()) + ":\\d+:\\d+ ", "");
        }
        return where + ": " + message;
    }
}

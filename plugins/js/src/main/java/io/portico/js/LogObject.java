package io.portico.js;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * {@code ctx.log}: {@code debug}, {@code info}, {@code warn} and {@code error}, each taking any
 * number of values joined by spaces, written to the SLF4J logger {@code portico.js.<script>}
 * (such as {@code portico.js.filters/deny.js}).
 */
final class LogObject extends MemberObject {

    private final Logger logger;

    private final ProxyExecutable debug = args -> write(Level.DEBUG, args);
    private final ProxyExecutable info = args -> write(Level.INFO, args);
    private final ProxyExecutable warn = args -> write(Level.WARN, args);
    private final ProxyExecutable error = args -> write(Level.ERROR, args);

    LogObject(Logger logger) {
        super("ctx.log", "debug", "error", "info", "warn");
        this.logger = logger;
    }


    private Object write(Level level, Value[] args) {
        if (logger.isEnabledForLevel(level)) {
            logger.atLevel(level).log(join(args));
        }
        return null;
    }

    private static String join(Value[] args) {
        StringBuilder out = new StringBuilder();
        for (Value arg : args) {
            if (!out.isEmpty()) {
                out.append(' ');
            }
            out.append(arg.isString() ? arg.asString() : arg.toString());
        }
        return out.toString();
    }

    @Override
    public Object getMember(String key) {
        return switch (key) {
            case "debug" -> debug;
            case "info" -> info;
            case "warn" -> warn;
            case "error" -> error;
            default -> null;
        };
    }
}

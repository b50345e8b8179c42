package io.portico.js;

import io.portico.api.config.ExtensionContext;
import io.portico.api.config.Size;
import io.portico.api.filter.Filter;
import io.portico.api.filter.FilterFactory;
import io.portico.js.engine.JsEngine;
import io.portico.js.script.ScriptFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.pf4j.Extension;

/**
 * The {@code js} filter: a JavaScript module that sees each request and/or response of a route.
 *
 * <pre>{@code
 * routes:
 *   - upstream: app
 *     filters:
 *       - js: {script: filters/add-request-id.js}
 *       - js:
 *           script: filters/deny.js
 *           config: {paths: [/admin/], methods: [DELETE]}
 *           timeout: 20ms
 *           fail-open: false
 * }</pre>
 *
 * <p>The script (relative to the configuration file's directory) exports {@code onRequest(req,
 * ctx)} and/or {@code onResponse(res, ctx)}; docs/js-filters.md is the guide to what they can do.
 * The script is compiled and checked here, at config load: a syntax error stops the start with the
 * file, line and message. The first {@code js} filter creates the process's JavaScript engine
 * (about two seconds).
 */
@Extension
public final class JsFilterFactory implements FilterFactory<JsFilterFactory.Config> {

    /** The time limit of a call when {@code timeout} is not given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The settings of a {@code js} filter.
     *
     * @param script the module file, relative to the configuration's directory; required
     * @param config any map, given to the script as {@code ctx.config}; empty by default
     * @param failOpen when the script fails or runs out of time, let the request (or response) go on
     *     unchanged instead of answering 500
     * @param timeout how long one call may run, 1ms to 10s; {@value "50ms"} by default
     * @param requestBody the largest request body the script may read ({@code req.text()}, ...);
     *     none when absent
     * @param responseBody the largest response body the script may read ({@code res.text()}, ...);
     *     none when absent
     */
    public record Config(String script, Map<String, Object> config, boolean failOpen, Duration timeout,
                         Size requestBody, Size responseBody) {

        /** Validates and applies the defaults. */
        public Config {
            if (script == null || script.isBlank()) {
                throw new IllegalArgumentException("'script' is required: the JavaScript file of the filter,"
                        + " relative to the configuration's directory, such as filters/add-request-id.js");
            }
            config = config == null ? Map.of() : config;
            timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("'timeout' must be between 1ms and 10s, got " + timeout.toMillis() + "ms");
            }
            requestBody = requestBody == null ? Size.ofBytes(0) : requestBody;
            responseBody = responseBody == null ? Size.ofBytes(0) : responseBody;
        }
    }

    @Override
    public String name() {
        return "js";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Filter create(Config config, ExtensionContext context) {
        Path path = context.resolve(config.script());
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("script: no such file: " + path);
        }
        JsEngine.shared();
        ScriptFile script = ScriptFile.load(path, config.script());
        return new JsFilter(script, config);
    }
}

package io.portico.js;

import io.netty.util.concurrent.FastThreadLocal;
import io.portico.api.filter.Exchange;
import io.portico.api.filter.Filter;
import io.portico.api.filter.FilterResult;
import io.portico.api.http.ResponseHead;
import io.portico.js.script.ScriptFile;
import io.portico.js.script.ScriptVersion;

/**
 * One use of a script on a route. Each event loop thread runs it in a context of its own
 * ({@link ScriptInstance}, created on the thread's first call), so calls never share a context
 * across threads and never create one per request.
 */
final class JsFilter implements Filter {

    private final ScriptFile script;
    private final JsFilterFactory.Config config;
    private final String configJson;
    private final FastThreadLocal<ScriptInstance> instances = new FastThreadLocal<>() {
        @Override
        protected ScriptInstance initialValue() {
            return new ScriptInstance(JsFilter.this);
        }

        @Override
        protected void onRemoval(ScriptInstance instance) {
            instance.close();
        }
    };

    JsFilter(ScriptFile script, JsFilterFactory.Config config) {
        this.script = script;
        this.config = config;
        this.configJson = Json.write(config.config());
    }

    ScriptFile script() {
        return script;
    }

    JsFilterFactory.Config config() {
        return config;
    }

    String configJson() {
        return configJson;
    }

    /** Forgets this thread's instance (its context is unusable); the next call makes a new one. */
    void discardInstance() {
        instances.remove();
    }

    @Override
    public long requestBodyLimit() {
        return config.requestBody().bytes();
    }

    @Override
    public long responseBodyLimit() {
        return config.responseBody().bytes();
    }

    @Override
    public FilterResult onRequest(Exchange exchange) {
        ScriptVersion version = script.current();
        return version.onRequest() ? instances.get().onRequest(version, exchange) : FilterResult.proceed();
    }

    @Override
    public FilterResult onResponse(Exchange exchange, ResponseHead response) {
        ScriptVersion version = script.current();
        return version.onResponse() ? instances.get().onResponse(version, exchange, response) : FilterResult.proceed();
    }

    @Override
    public String toString() {
        return "js filter " + script.name();
    }
}

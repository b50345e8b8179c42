package io.portico.core.proxy;

import io.portico.api.config.ExtensionContext;
import io.portico.api.filter.Exchange;
import io.portico.api.filter.Filter;
import io.portico.api.filter.FilterFactory;
import io.portico.api.filter.FilterResult;
import io.portico.api.http.Response;
import io.portico.api.http.ResponseHead;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.pf4j.Extension;

/**
 * A test-only filter, {@code test-filter}, found on the test classpath, that misbehaves or
 * decides as told: {@code {test-filter: {action: throw}}}.
 *
 * <ul>
 *   <li>{@code throw}: its {@code onRequest} throws;
 *   <li>{@code throw-on-response}: its {@code onResponse} throws;
 *   <li>{@code fail-async}: its {@code onRequest} answers with a stage that fails;
 *   <li>{@code deny}: answers 403 in place of the upstream;
 *   <li>{@code later}: tags the request ({@code x-filtered: later}), proceeds 100ms later from
 *       another thread, and tags the response with the status it saw ({@code x-filter-saw}).
 * </ul>
 */
@Extension
public final class TestFilterFactory implements FilterFactory<TestFilterFactory.Config> {

    private static final Set<String> ACTIONS = Set.of("throw", "throw-on-response", "fail-async", "deny", "later");

    /** {@code action}: one of the actions above. */
    public record Config(String action) {
        public Config {
            if (!ACTIONS.contains(action)) {
                throw new IllegalArgumentException("'action' must be one of " + ACTIONS + ", got " + action);
            }
        }
    }

    @Override
    public String name() {
        return "test-filter";
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public Filter create(Config config, ExtensionContext context) {
        return new Filter() {
            @Override
            public FilterResult onRequest(Exchange exchange) {
                return switch (config.action()) {
                    case "throw" -> throw new IllegalStateException("test filter throws");
                    case "fail-async" -> FilterResult.async(CompletableFuture.failedFuture(new IllegalStateException("test filter fails later")));
                    case "deny" -> FilterResult.respond(Response.text(403, "denied by test filter\n"));
                    case "later" -> {
                        exchange.request().headers().set("x-filtered", "later");
                        yield FilterResult.async(CompletableFuture.supplyAsync(FilterResult::proceed,
                                CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)));
                    }
                    default -> FilterResult.proceed();
                };
            }

            @Override
            public FilterResult onResponse(Exchange exchange, ResponseHead response) {
                switch (config.action()) {
                    case "throw-on-response" -> throw new IllegalStateException("test filter throws on the response");
                    case "later" -> response.headers().set("x-filter-saw", String.valueOf(response.status()));
                    default -> { }
                }
                return FilterResult.proceed();
            }
        };
    }
}

package io.portico.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.portico.core.config.MatchConfig;
import io.portico.core.config.PathMatch;
import io.portico.core.config.RewriteConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

    @Test
    void theFirstMatchingRouteWinsInWrittenOrder() {
        Router<String> router = Router.<String>builder()
                .route("users", pathPrefix("/api/users"), null, "users-upstream")
                .route("api", pathPrefix("/api/"), null, "api-upstream")
                .route("also-users", pathPrefix("/api/users"), null, "never")
                .route("fallback", MatchConfig.ANY, null, "web-upstream")
                .build();

        assertThat(router.size()).isEqualTo(4);
        assertThat(router.match(TestRequest.get("/api/users/1")).payload()).isEqualTo("users-upstream");
        assertThat(router.match(TestRequest.get("/api/orders")).name()).isEqualTo("api");
        assertThat(router.match(TestRequest.get("/index.html")).payload()).isEqualTo("web-upstream");
    }

    @Test
    void aBroadRouteWrittenFirstShadowsTheNarrowerOnes() {
        Router<String> router = Router.<String>builder()
                .route("everything", MatchConfig.ANY, null, "a")
                .route("users", pathPrefix("/api/users"), null, "b")
                .build();

        assertThat(router.match(TestRequest.get("/api/users")).name()).isEqualTo("everything");
    }

    @Test
    void noMatchingRouteGivesNull() {
        Router<String> router = Router.<String>builder()
                .route("api", pathPrefix("/api/"), null, "api")
                .build();

        assertThat(router.match(TestRequest.get("/other"))).isNull();
        assertThat(Router.<String>builder().build().match(TestRequest.get("/"))).isNull();
    }

    @Test
    void everyConditionMustHold() {
        Router<String> router = single(new MatchConfig(List.of("api.example.com"), PathMatch.prefix("/v1/"),
                List.of("POST"), Map.of("Content-Type", "application/json"), Map.of("dry-run", "*")));
        TestRequest all = TestRequest.of("POST", "/v1/items?dry-run=1").host("api.example.com")
                .header("content-type", "application/json");

        assertThat(router.match(all)).isNotNull();
        assertThat(router.match(TestRequest.of("POST", "/v1/items?dry-run=1").host("www.example.com")
                .header("content-type", "application/json"))).as("host").isNull();
        assertThat(router.match(TestRequest.of("POST", "/v2/items?dry-run=1").host("api.example.com")
                .header("content-type", "application/json"))).as("path").isNull();
        assertThat(router.match(TestRequest.of("PUT", "/v1/items?dry-run=1").host("api.example.com")
                .header("content-type", "application/json"))).as("method").isNull();
        assertThat(router.match(TestRequest.of("POST", "/v1/items?dry-run=1").host("api.example.com")
                .header("content-type", "text/plain"))).as("header").isNull();
        assertThat(router.match(TestRequest.of("POST", "/v1/items").host("api.example.com")
                .header("content-type", "application/json"))).as("query").isNull();
    }

    @Test
    void hostsMatchExactlyOrByWildcardIgnoringCase() {
        Router<String> router = Router.<String>builder()
                .route("apex", hosts("example.com"), null, "apex")
                .route("subdomains", hosts("*.example.com"), null, "sub")
                .build();

        assertThat(router.match(TestRequest.get("/").host("Example.COM")).name()).isEqualTo("apex");
        assertThat(router.match(TestRequest.get("/").host("a.example.com")).name()).isEqualTo("subdomains");
        assertThat(router.match(TestRequest.get("/").host("a.b.example.com")).name()).isEqualTo("subdomains");
        assertThat(router.match(TestRequest.get("/").host("example.org"))).isNull();
        assertThat(router.match(TestRequest.get("/"))).as("no Host").isNull();
    }

    @Test
    void exactPathsTakeOnlyThatPath() {
        Router<String> router = single(path(new PathMatch("/health", null, null)));

        assertThat(router.match(TestRequest.get("/health"))).isNotNull();
        assertThat(router.match(TestRequest.get("/health?verbose=1"))).as("the query is not part of the path").isNotNull();
        assertThat(router.match(TestRequest.get("/health/"))).isNull();
        assertThat(router.match(TestRequest.get("/healthz"))).isNull();
        assertThat(router.match(TestRequest.get("/Health"))).isNull();
    }

    @Test
    void prefixesArePlainText() {
        Router<String> router = single(pathPrefix("/api"));

        assertThat(router.match(TestRequest.get("/api"))).isNotNull();
        assertThat(router.match(TestRequest.get("/api/x"))).isNotNull();
        assertThat(router.match(TestRequest.get("/apis"))).isNotNull();
        assertThat(router.match(TestRequest.get("/ap"))).isNull();
        assertThat(router.match(TestRequest.get("/x/api"))).isNull();
    }

    @Test
    void patternsExposeTheirCaptures() {
        Router<String> router = single(path(new PathMatch(null, null, "/users/{user}/orders/{order}")));

        RouteMatch<String> match = router.match(TestRequest.get("/users/ann/orders/7?full=1"));

        assertThat(match.capture("user")).isEqualTo("ann");
        assertThat(match.capture("order")).isEqualTo("7");
        assertThat(match.capture("missing")).isNull();
        assertThat(match.captures()).containsExactly(Map.entry("user", "ann"), Map.entry("order", "7"));
        assertThat(router.match(TestRequest.get("/users/ann/orders"))).isNull();
    }

    @Test
    void routesWithoutPatternsCaptureNothing() {
        RouteMatch<String> match = single(pathPrefix("/")).match(TestRequest.get("/users/ann"));

        assertThat(match.captures()).isEmpty();
        assertThat(match.capture("user")).isNull();
    }

    @Test
    void methodsAreCaseSensitiveAndAnyOfTheList() {
        Router<String> router = single(new MatchConfig(null, null, List.of("GET", "HEAD"), null, null));

        assertThat(router.match(TestRequest.of("GET", "/"))).isNotNull();
        assertThat(router.match(TestRequest.of("HEAD", "/"))).isNotNull();
        assertThat(router.match(TestRequest.of("POST", "/"))).isNull();
        assertThat(router.match(TestRequest.of("get", "/"))).isNull();
    }

    @Test
    void headersMatchByNameInAnyCaseAndExactValue() {
        Router<String> router = single(new MatchConfig(null, null, null, Map.of("X-Env", "canary"), null));

        assertThat(router.match(TestRequest.get("/").header("x-env", "canary"))).isNotNull();
        assertThat(router.match(TestRequest.get("/").header("X-ENV", "canary"))).isNotNull();
        assertThat(router.match(TestRequest.get("/").header("X-Env", "Canary"))).as("values are case-sensitive").isNull();
        assertThat(router.match(TestRequest.get("/").header("X-Env", "canary2"))).isNull();
        assertThat(router.match(TestRequest.get("/"))).isNull();
    }

    @Test
    void aStarHeaderValueOnlyRequiresPresence() {
        Router<String> router = single(new MatchConfig(null, null, null, Map.of("Authorization", "*"), null));

        assertThat(router.match(TestRequest.get("/").header("authorization", "Bearer x"))).isNotNull();
        assertThat(router.match(TestRequest.get("/").header("Authorization", ""))).isNotNull();
        assertThat(router.match(TestRequest.get("/").header("X-Other", "x"))).isNull();
    }

    @Test
    void queryParametersMatchByExactValueOrPresence() {
        Router<String> router = Router.<String>builder()
                .route("v2", new MatchConfig(null, null, null, null, Map.of("version", "2")), null, "v2")
                .route("debug", new MatchConfig(null, null, null, null, Map.of("debug", "*")), null, "debug")
                .build();

        assertThat(router.match(TestRequest.get("/items?version=2")).name()).isEqualTo("v2");
        assertThat(router.match(TestRequest.get("/items?a=b&version=2")).name()).isEqualTo("v2");
        assertThat(router.match(TestRequest.get("/items?version=20"))).isNull();
        assertThat(router.match(TestRequest.get("/items?debug")).name()).isEqualTo("debug");
        assertThat(router.match(TestRequest.get("/items?debug=0")).name()).isEqualTo("debug");
        assertThat(router.match(TestRequest.get("/items?debugging=1"))).isNull();
        assertThat(router.match(TestRequest.get("/items"))).isNull();
    }

    @Test
    void aRewrittenPathKeepsTheQueryWhenSetOnTheRequest() {
        Router<String> router = single(pathPrefix("/api/"), new RewriteConfig("/api", null, null, null));
        TestRequest request = TestRequest.get("/api/users?page=2");

        RouteMatch<String> match = router.match(request);
        assertThat(match.rewritesPath()).isTrue();
        request.path(match.rewrittenPath());

        assertThat(request.uri()).isEqualTo("/users?page=2");
    }

    @Test
    void aRegexRewriteDoesNotSeeTheQuery() {
        Router<String> router = single(MatchConfig.ANY, new RewriteConfig(null, "\\?.*$", "", null));

        assertThat(router.match(TestRequest.get("/a?b=c")).rewrittenPath()).isEqualTo("/a");
    }

    @Test
    void aTemplateRewriteUsesTheMatchCaptures() {
        Router<String> router = single(path(new PathMatch(null, null, "/items/{id}")),
                new RewriteConfig(null, null, null, "/v2/items/{id}"));

        assertThat(router.match(TestRequest.get("/items/42?x=1")).rewrittenPath()).isEqualTo("/v2/items/42");
    }

    @Test
    void withoutARewriteThePathIsUnchanged() {
        RouteMatch<String> match = single(MatchConfig.ANY).match(TestRequest.get("/a/b?c=d"));

        assertThat(match.rewritesPath()).isFalse();
        assertThat(match.rewrittenPath()).isEqualTo("/a/b");
    }

    @Test
    void invalidRoutesAreRejectedWithTheRouteName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Router.<String>builder().route("web", hosts("www.*.com"), null, "x"))
                .withMessageStartingWith("route 'web': invalid host 'www.*.com'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Router.<String>builder()
                        .route("items", path(new PathMatch(null, null, "/items/{id")), null, "x"))
                .withMessageStartingWith("route 'items': invalid path pattern '/items/{id'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Router.<String>builder()
                        .route("re", MatchConfig.ANY, new RewriteConfig(null, "[a-", "/", null), "x"))
                .withMessageStartingWith("route 're': invalid rewrite regex '[a-'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Router.<String>builder().route("items", path(new PathMatch(null, null, "/items/{id}")),
                        new RewriteConfig(null, null, null, "/v2/{item}"), "x"))
                .withMessageStartingWith("route 'items': rewrite path '/v2/{item}' uses capture 'item'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Router.<String>builder().route("items", pathPrefix("/items/"),
                        new RewriteConfig(null, null, null, "/v2/{id}"), "x"))
                .withMessageStartingWith("route 'items': rewrite path '/v2/{id}' needs a path pattern");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Router.<String>builder()
                        .route("m", new MatchConfig(null, null, List.of("GET PUT"), null, null), null, "x"))
                .withMessage("route 'm': invalid method 'GET PUT': expected a token such as GET");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Router.<String>builder()
                        .route("h", new MatchConfig(null, null, null, Map.of(" ", "x"), null), null, "x"))
                .withMessage("route 'h': a header condition needs a name");
    }

    @Test
    void routeNamesMustBeUnique() {
        Router.Builder<String> builder = Router.<String>builder().route("api", MatchConfig.ANY, null, "a");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.route("api", pathPrefix("/x"), null, "b"))
                .withMessageContaining("route 'api': another route has this name");
    }

    @Test
    void aRouteNeedsANameAndAPayload() {
        assertThatNullPointerException()
                .isThrownBy(() -> Router.<String>builder().route(null, MatchConfig.ANY, null, "x"))
                .withMessage("a route needs a name");
        assertThatNullPointerException()
                .isThrownBy(() -> Router.<String>builder().route("api", MatchConfig.ANY, null, null))
                .withMessage("route 'api' needs a payload");
    }

    private static Router<String> single(MatchConfig match) {
        return single(match, null);
    }

    private static Router<String> single(MatchConfig match, RewriteConfig rewrite) {
        return Router.<String>builder().route("only", match, rewrite, "payload").build();
    }

    private static MatchConfig path(PathMatch path) {
        return new MatchConfig(null, path, null, null, null);
    }

    private static MatchConfig pathPrefix(String prefix) {
        return path(PathMatch.prefix(prefix));
    }

    private static MatchConfig hosts(String... hosts) {
        return new MatchConfig(List.of(hosts), null, null, null, null);
    }
}

package io.portico.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.portico.api.config.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    /** The examples at the repository root, seen from the core module's directory. */
    private static final Path EXAMPLES = Path.of("../conf/examples");

    private static final Path FILE = Path.of("portico.yaml");

    /** A valid upstream for snippets that test something else. */
    private static final String API = "upstreams: {api: {endpoints: [127.0.0.1:9001]}}\n";

    private static PorticoConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, FILE);
    }

    @Nested
    class Examples {

        static Stream<Path> examples() throws IOException {
            try (Stream<Path> files = Files.list(EXAMPLES)) {
                return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
            }
        }

        @Test
        void theExamplesAreThere() throws IOException {
            assertThat(examples().map(f -> f.getFileName().toString())).contains(
                    "minimal.yaml", "host-and-path-routing.yaml", "timeouts-and-limits.yaml", "weighted-endpoints.yaml");
        }

        @ParameterizedTest
        @MethodSource("examples")
        void eachExampleLoads(Path example) {
            PorticoConfig config = ConfigLoader.load(example);

            assertThat(config.routes()).isNotEmpty();
            assertThat(config.upstreams()).isNotEmpty();
        }

        @Test
        void minimal() {
            PorticoConfig config = ConfigLoader.load(EXAMPLES.resolve("minimal.yaml"));

            assertThat(config.listen()).containsExactly(ListenerConfig.http(new HostPort("0.0.0.0", 8080)));
            assertThat(config.upstreams().get("app").endpoints())
                    .containsExactly(new EndpointConfig(new HostPort("127.0.0.1", 9001), 1));
            RouteConfig route = config.routes().getFirst();
            assertThat(route.match()).isEqualTo(MatchConfig.ANY);
            assertThat(route.name()).isEqualTo("routes[0]");
        }

        @Test
        void hostAndPathRouting() {
            PorticoConfig config = ConfigLoader.load(EXAMPLES.resolve("host-and-path-routing.yaml"));

            assertThat(config.listen()).extracting(ListenerConfig::address)
                    .containsExactly(new HostPort("0.0.0.0", 8080), new HostPort("::", 8080));
            assertThat(config.routes()).extracting(RouteConfig::name)
                    .containsExactly("health", "orders-v2", "api", "canary-assets", "admin", "site");

            Map<String, RouteConfig> routes = byName(config);
            assertThat(routes.get("health").match().path()).isEqualTo(new PathMatch("/healthz", null, null));
            assertThat(routes.get("orders-v2").match().path()).isEqualTo(new PathMatch(null, null, "/v1/users/{id}/orders"));
            assertThat(routes.get("orders-v2").match().methods()).containsExactly("GET", "HEAD");
            assertThat(routes.get("orders-v2").rewrite()).isEqualTo(new RewriteConfig(null, null, null, "/v2/accounts/{id}/orders"));
            assertThat(routes.get("api").match().host()).containsExactly("api.example.com", "api.example.org");
            assertThat(routes.get("api").match().path()).isEqualTo(PathMatch.prefix("/api/"));
            assertThat(routes.get("api").rewrite().stripPrefix()).isEqualTo("/api");
            assertThat(routes.get("api").filters()).isEmpty();
            RouteConfig canary = routes.get("canary-assets");
            assertThat(canary.match().host()).containsExactly("*.example.com");
            assertThat(canary.match().headers()).containsExactly(Map.entry("x-canary", "*"));
            assertThat(canary.match().query()).containsExactly(Map.entry("beta", "1"));
            assertThat(canary.rewrite()).isEqualTo(new RewriteConfig(null, "^/assets/(.*)$", "/static/v7/$1", null));
            assertThat(canary.hostHeader()).isEqualTo("static.internal");
            assertThat(routes.get("admin").hostHeader()).isEqualTo("endpoint");
            assertThat(routes.get("site").hostHeader()).isEqualTo("preserve");
        }

        @Test
        void timeoutsAndLimits() {
            PorticoConfig config = ConfigLoader.load(EXAMPLES.resolve("timeouts-and-limits.yaml"));

            assertThat(config.server()).isEqualTo(new ServerConfig(Size.ofKilobytes(4), Size.ofKilobytes(32),
                    Size.ofMegabytes(1), Duration.ofSeconds(5), Duration.ofSeconds(30), 2, ServerConfig.Transport.EPOLL,
                    Http2Config.DEFAULTS));
            assertThat(config.plugins().dir()).isEqualTo("/opt/portico/plugins");
            assertThat(config.accessLog().enabled()).isFalse();
            assertThat(config.shutdown().deadline()).isEqualTo(Duration.ofSeconds(10));
            UpstreamConfig reports = config.upstreams().get("reports");
            assertThat(reports.connectTimeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(reports.responseTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(reports.idleTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(reports.maxIdlePerEndpoint()).isEqualTo(8);
            assertThat(config.routes()).extracting(RouteConfig::maxBodySize)
                    .containsExactly(Size.ofMegabytes(256), Size.ofMegabytes(1));
        }

        @Test
        void weightedEndpoints() {
            PorticoConfig config = ConfigLoader.load(EXAMPLES.resolve("weighted-endpoints.yaml"));

            UpstreamConfig web = config.upstreams().get("web");
            assertThat(web.balancer()).isEqualTo(ExtensionRef.of("round-robin", "upstreams.web.balancer"));
            assertThat(web.endpoints()).extracting(EndpointConfig::weight).containsExactly(3, 1);
            UpstreamConfig search = config.upstreams().get("search");
            assertThat(search.balancer().name()).isEqualTo("least-request");
            assertThat(search.balancer().settings().get("choices").asInt()).isEqualTo(2);
            assertThat(search.balancer().settingsPath()).isEqualTo("upstreams.search.balancer.least-request");
            assertThat(search.endpoints()).containsExactly(
                    new EndpointConfig(new HostPort("10.0.2.10", 9200), 1),
                    new EndpointConfig(new HostPort("10.0.2.11", 9200), 1),
                    new EndpointConfig(new HostPort("fd00::12", 9200), 2));
            assertThat(config.routes().getFirst().match().path()).isEqualTo(PathMatch.prefix("/search/"));
        }

        @Test
        void theCompleteExampleInTheDocsLoads() throws IOException {
            String doc = Files.readString(Path.of("../docs/configuration.md"));
            String section = doc.substring(doc.indexOf("## A complete example"));
            String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.lastIndexOf("```"));

            PorticoConfig config = ConfigLoader.parse(yaml, Path.of("configuration.md"));

            assertThat(config.routes()).extracting(RouteConfig::name)
                    .containsExactly("health", "user-orders", "api", "assets", "site");
            assertThat(config.routes().get(2).maxBodySize()).isEqualTo(Size.ofMegabytes(50));
        }

        private static Map<String, RouteConfig> byName(PorticoConfig config) {
            return config.routes().stream().collect(java.util.stream.Collectors.toMap(RouteConfig::name, r -> r));
        }
    }

    @Nested
    class Defaults {

        @Test
        void anEmptyFileGivesEveryDefault(@TempDir Path dir) throws IOException {
            Path file = Files.writeString(dir.resolve("portico.yaml"), "# nothing yet\n");

            PorticoConfig config = ConfigLoader.load(file);

            assertThat(config.listen()).containsExactly(ListenerConfig.http(new HostPort("0.0.0.0", 8080)));
            assertThat(config.server()).isEqualTo(new ServerConfig(Size.ofKilobytes(8), Size.ofKilobytes(16),
                    Size.ofMegabytes(10), Duration.ofSeconds(10), Duration.ofSeconds(60), 0, ServerConfig.Transport.AUTO,
                    Http2Config.DEFAULTS));
            assertThat(config.plugins().dir()).isEqualTo("plugins");
            assertThat(config.accessLog().enabled()).isTrue();
            assertThat(config.shutdown().deadline()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.upstreams()).isEmpty();
            assertThat(config.routes()).isEmpty();
        }

        @Test
        void upstreamDefaults() {
            UpstreamConfig api = parse(API).upstreams().get("api");

            assertThat(api.balancer()).isEqualTo(ExtensionRef.of("round-robin", "upstreams.api.balancer"));
            assertThat(api.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(api.responseTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(api.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
            assertThat(api.maxIdlePerEndpoint()).isEqualTo(64);
        }

        @Test
        void routeDefaults() {
            PorticoConfig config = parse(API + """
                    server: {max-body-size: 2MB}
                    routes:
                      - {name: first, upstream: api}
                      - {upstream: api}
                    """);

            RouteConfig unnamed = config.routes().get(1);
            assertThat(unnamed.name()).isEqualTo("routes[1]");
            assertThat(unnamed.match()).isEqualTo(MatchConfig.ANY);
            assertThat(unnamed.rewrite()).isNull();
            assertThat(unnamed.hostHeader()).isEqualTo("preserve");
            assertThat(unnamed.maxBodySize()).isEqualTo(Size.ofMegabytes(2));
            assertThat(unnamed.filters()).isEmpty();
        }
    }

    @Nested
    class Values {

        @Test
        void durationsInEveryUnit() {
            UpstreamConfig api = parse("""
                    upstreams:
                      api:
                        endpoints: [127.0.0.1:9001]
                        connect-timeout: 250ms
                        response-timeout: 2m
                        idle-timeout: 1h
                    shutdown: {deadline: 0}
                    """).upstreams().get("api");

            assertThat(api.connectTimeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(api.responseTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(api.idleTimeout()).isEqualTo(Duration.ofHours(1));
        }

        @Test
        void sizesInEveryUnit() {
            ServerConfig server = parse("server: {max-initial-line-length: 512, max-header-size: 8 KB, max-body-size: 1GB}")
                    .server();

            assertThat(server.maxInitialLineLength()).isEqualTo(Size.ofBytes(512));
            assertThat(server.maxHeaderSize()).isEqualTo(Size.ofBytes(8192));
            assertThat(server.maxBodySize()).isEqualTo(Size.ofBytes(1L << 30));
        }

        @Test
        void transportInAnyCase() {
            assertThat(parse("server: {transport: NIO}").server().transport()).isEqualTo(ServerConfig.Transport.NIO);
            assertThat(parse("server: {transport: Epoll}").server().transport()).isEqualTo(ServerConfig.Transport.EPOLL);
        }

        @Test
        void singleValuesForLists() {
            MatchConfig match = parse(API + "routes: [{upstream: api, match: {host: a.example, methods: GET}}]")
                    .routes().getFirst().match();

            assertThat(match.host()).containsExactly("a.example");
            assertThat(match.methods()).containsExactly("GET");
        }

        @Test
        void extensionReferencesKeepTheirSettingsAndPath() {
            PorticoConfig config = parse("""
                    upstreams:
                      api:
                        endpoints: [127.0.0.1:9001]
                        balancer: {least-request: {choices: 2}}
                    routes:
                      - upstream: api
                      - upstream: api
                        filters:
                          - access-check
                          - jwt: {audience: api, leeway: 5s}
                          - waf:
                    """);

            assertThat(config.upstreams().get("api").balancer().path()).isEqualTo("upstreams.api.balancer");
            List<ExtensionRef> filters = config.routes().get(1).filters();
            assertThat(filters).extracting(ExtensionRef::name).containsExactly("access-check", "jwt", "waf");
            assertThat(filters).extracting(ExtensionRef::path)
                    .containsExactly("routes[1].filters[0]", "routes[1].filters[1]", "routes[1].filters[2]");
            assertThat(filters.get(0).settings().isEmpty()).isTrue();
            assertThat(filters.get(1).settings().get("audience").asText()).isEqualTo("api");
            assertThat(filters.get(1).settingsPath()).isEqualTo("routes[1].filters[1].jwt");
            assertThat(filters.get(2).settings().isObject()).isTrue();
        }

        @Test
        void aListenerWithoutHostListensOnEveryAddress() {
            assertThat(parse("listen: [{address: ':8080'}]").listen())
                    .containsExactly(ListenerConfig.http(new HostPort("0.0.0.0", 8080)));
        }

        @Test
        void listenersOnPortZeroMayRepeat() {
            assertThat(parse("listen: [{address: '127.0.0.1:0'}, {address: '127.0.0.1:0'}]").listen()).hasSize(2);
        }
    }

    @Nested
    class Errors {

        static Stream<Arguments> problems() {
            return Stream.of(
                    // unknown keys, with the keys that are allowed there
                    arguments(API + "tiemout: 5s", "",
                            "unknown key 'tiemout'; expected one of: access-log, admin, dns, listen, plugins, routes, server, shutdown, upstreams"),
                    arguments(API + "server: {idle: 5s}", "server",
                            "unknown key 'idle'; expected one of: event-loops, header-timeout, http2, idle-timeout, max-body-size, "
                                    + "max-header-size, max-initial-line-length, transport"),
                    arguments(API + "routes: [{upstream: api, match: {paths: /a}}]", "routes[0].match",
                            "unknown key 'paths'; expected one of: headers, host, methods, path, query"),
                    // wrong types
                    arguments(API + "server: {event-loops: abc}", "server.event-loops", "expected a number, got 'abc'"),
                    arguments(API + "server: {event-loops: 1.5}", "server.event-loops", "expected a whole number, got 1.5"),
                    arguments(API + "server: {event-loops: 3000000000}", "server.event-loops",
                            "expected a number from -2147483648 to 2147483647, got 3000000000"),
                    arguments(API + "access-log: {enabled: sometimes}", "access-log.enabled", "expected true or false, got 'sometimes'"),
                    arguments(API + "server: fast", "server", "expected a map, got 'fast'"),
                    arguments(API + "routes: {upstream: api}", "routes", "expected a list, got a map"),
                    arguments(API + "routes: [{upstream: [api]}]", "routes[0].upstream", "expected a string, got a list"),
                    arguments("- listen", "", "expected a map, got a list"),
                    arguments(API + "routes:\n  -\n", "routes[0]", "expected a value, got nothing"),
                    // values written as text
                    arguments(API + "server: {idle-timeout: 5 minutes}", "server.idle-timeout",
                            "expected a duration such as 250ms, 5s, 2m or 1h, got '5 minutes'"),
                    arguments(API + "server: {header-timeout: {s: 5}}", "server.header-timeout",
                            "expected a duration such as 250ms, 5s, 2m or 1h, got a map"),
                    arguments(API + "server: {max-body-size: 10XB}", "server.max-body-size",
                            "expected a size such as 512B, 8KB, 16MB or 1GB, got '10XB'"),
                    arguments(API + "server: {transport: kqueue}", "server.transport", "expected one of auto, epoll, nio, got 'kqueue'"),
                    arguments("listen: [{address: localhost}]", "listen[0].address",
                            "expected host:port such as 127.0.0.1:8080, got 'localhost'"),
                    arguments("upstreams: {api: {endpoints: [127.0.0.1:9001, '127.0.0.1']}}", "upstreams.api.endpoints[1]",
                            "expected host:port such as 127.0.0.1:8080, got '127.0.0.1'"),
                    // checks in the records' constructors
                    arguments(API + "routes: [{upstream: api}, {upstream: api, match: {path: api/}}]", "routes[1].match.path",
                            "a path must start with '/', got 'api/'"),
                    arguments(API + "routes: [{upstream: api, match: {path: {exact: /a, prefix: /b}}}]", "routes[0].match.path",
                            "expected exactly one of exact, prefix or pattern"),
                    arguments(API + "routes: [{upstream: api, rewrite: {regex: '^/a'}}]", "routes[0].rewrite",
                            "regex needs a replacement"),
                    arguments(API + "routes: [{name: orphan}]", "routes[0]", "upstream is required: the name of an upstream"),
                    arguments("upstreams: {api: {endpoints: [{address: 127.0.0.1:9001, weight: 0}]}}", "upstreams.api.endpoints[0]",
                            "weight must be at least 1, got 0"),
                    arguments("upstreams: {api: {endpoints: []}}", "upstreams.api",
                            "endpoints: expected at least one endpoint such as 127.0.0.1:9000"),
                    arguments(API + "server: {idle-timeout: 0}", "server", "idle-timeout must be more than 0, got 0ms"),
                    arguments(API + "server: {http2: {max-frame-size: 1KB}}", "server.http2",
                            "max-frame-size: expected from 16KB to 16MB less one byte (16777215B), got 1024B"),
                    arguments(API + "server: {http2: {max-concurrent-streams: 0}}", "server.http2",
                            "max-concurrent-streams: expected 1 or more, got 0"),
                    arguments(API + "server: {http2: {reset-window: 1500ms}}", "server.http2",
                            "reset-window: expected whole seconds such as 30s, got 1500ms"),
                    arguments(API + "server: {http2: {initial-window-size: 2GB}}", "server.http2",
                            "initial-window-size: expected from 1B to 2GB less one byte, got 2147483648B"),
                    arguments("listen: [{}]", "listen[0]", "address is required"),
                    // extension references
                    arguments("upstreams: {api: {endpoints: [127.0.0.1:9001], balancer: {random: {}, round-robin: {}}}}",
                            "upstreams.api.balancer",
                            "expected one extension name with its settings, such as {round-robin: {}}, got random, round-robin"),
                    arguments(API + "routes: [{upstream: api, filters: [gzip, {}]}]", "routes[0].filters[1]",
                            "expected one extension name with its settings, such as {round-robin: {}}, got an empty map"),
                    arguments(API + "routes: [{upstream: api, filters: [[gzip]]}]", "routes[0].filters[0]",
                            "expected an extension name such as round-robin, or one extension name with its settings, "
                                    + "such as {round-robin: {}}, got a list"),
                    // checks across the file
                    arguments(API + "routes: [{upstream: api}, {upstream: nope}]", "routes[1].upstream",
                            "unknown upstream 'nope'; defined: api"),
                    arguments("upstreams: {b: {endpoints: [127.0.0.1:1]}, a: {endpoints: [127.0.0.1:2]}}\nroutes: [{upstream: c}]",
                            "routes[0].upstream", "unknown upstream 'c'; defined: a, b"),
                    arguments("routes: [{upstream: api}]", "routes[0].upstream", "unknown upstream 'api'; no upstreams are defined"),
                    arguments("listen: []", "listen",
                            "expected at least one address to listen on, such as {address: 0.0.0.0:8080}"),
                    arguments("listen: [{address: 127.0.0.1:80}, {address: 127.0.0.1:81}, {address: 127.0.0.1:80}]",
                            "listen[2].address", "duplicate address 127.0.0.1:80, already at listen[0]"),
                    arguments(API + "routes: [{name: a, upstream: api}, {name: b, upstream: api}, {name: a, upstream: api}]",
                            "routes[2].name", "duplicate route name 'a', already used by routes[0]"),
                    // YAML itself
                    arguments("server: {idle-timeout: 5s, idle-timeout: 6s}", "server", "duplicate key 'idle-timeout'"),
                    arguments("listen:\n  - address: 127.0.0.1:80\n    - address: 127.0.0.1:81\n", "",
                            "line 3, column 5: while parsing a block mapping: expected <block end>, but found '-'"),
                    arguments("routes: [\n", "", "line 2, column 1: while parsing a flow node: expected the node content, "
                            + "but found '<stream end>'"),
                    arguments("listen: [{address: 127.0.0.1:80}]\n---\nlisten: [{address: 127.0.0.1:81}]\n", "",
                            "line 3: expected one YAML document, found another"));
        }

        @ParameterizedTest
        @MethodSource("problems")
        void namesTheFileTheKeyAndTheProblem(String yaml, String keyPath, String problem) {
            assertThatThrownBy(() -> parse(yaml))
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.file()).isEqualTo(FILE);
                        assertThat(e.keyPath()).isEqualTo(keyPath);
                        assertThat(e.problem()).isEqualTo(problem);
                    });
        }

        @Test
        void theMessageReadsFileKeyProblem(@TempDir Path dir) throws IOException {
            Path file = Files.writeString(dir.resolve("portico.yaml"), API + "routes: [{upstream: nope}]\n");

            assertThatThrownBy(() -> ConfigLoader.load(file))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(file + ": routes[0].upstream: unknown upstream 'nope'; defined: api");
        }

        @Test
        void aMissingFile(@TempDir Path dir) {
            Path file = dir.resolve("absent.yaml");

            assertThatThrownBy(() -> ConfigLoader.load(file))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(file + ": cannot read: no such file");
        }

        @Test
        void aDirectoryInsteadOfAFile(@TempDir Path dir) {
            assertThatThrownBy(() -> ConfigLoader.load(dir))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problem()).startsWith("cannot read: "));
        }

        @Test
        void aFileThatIsNotText(@TempDir Path dir) throws IOException {
            Path file = Files.write(dir.resolve("portico.yaml"), new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28});

            assertThatThrownBy(() -> ConfigLoader.load(file))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(file + ": cannot read: not UTF-8 text");
        }
    }
}

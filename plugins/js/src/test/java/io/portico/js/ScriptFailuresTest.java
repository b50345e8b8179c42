package io.portico.js;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import io.portico.js.engine.JsStats;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripts that loop, throw or try to leave their sandbox, in a real Portico. */
class ScriptFailuresTest {

    @TempDir
    static Path dir;
    static TestOrigin origin;
    static TestPortico portico;

    @BeforeAll
    static void start() {
        origin = TestOrigin.start(TestOrigin.text("from origin"));
        ConfigDir config = new ConfigDir(dir);
        config.script("spin.js", """
                export function onRequest(req, ctx) {
                  if (req.queryParam('spin') !== null) {
                    while (true) {}
                  }
                }
                """);
        config.script("throws.js", """
                export function onRequest(req, ctx) {
                  const limits = ctx.config.limits;
                  // limits is undefined: the next line throws a TypeError
                  return limits.perSecond;
                }
                """);
        config.script("bad-respond.js", """
                export function onRequest(req, ctx) {
                  ctx.respond({status: 99});
                }
                """);
        config.script("bad-header.js", """
                export function onResponse(res, ctx) {
                  res.headers.add('x-tags', ['a', 'b']);
                }
                """);
        config.script("escape.js", """
                const attempts = {
                  javaType: () => Java.type('java.lang.System'),
                  polyglotEval: () => Polyglot.eval('python', '1'),
                  load: () => load('/etc/passwd'),
                  hostClass: () => req.getClass().forName('java.lang.Runtime'),
                  graal: () => Graal.versionJS.length,
                };
                let req;
                export function onRequest(r, ctx) {
                  req = r;
                  const results = {};
                  for (const [name, attempt] of Object.entries(attempts)) {
                    try {
                      attempt();
                      results[name] = 'allowed';
                    } catch (e) {
                      results[name] = 'denied';
                    }
                  }
                  ctx.respond({status: 200, body: results});
                }
                """);
        portico = TestPortico.start(config.config("""
                upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                routes:
                  - {match: {path: /spin/}, upstream: app, filters: [{js: {script: filters/spin.js, timeout: 30ms}}]}
                  - {match: {path: /spin-open/}, upstream: app, filters: [{js: {script: filters/spin.js, timeout: 30ms, fail-open: true}}]}
                  - {match: {path: /throws/}, upstream: app, filters: [{js: {script: filters/throws.js}}]}
                  - {match: {path: /bad-respond/}, upstream: app, filters: [{js: {script: filters/bad-respond.js}}]}
                  - {match: {path: /escape/}, upstream: app, filters: [{js: {script: filters/escape.js}}]}
                  - {match: {path: /bad-header/}, upstream: app, filters: [{js: {script: filters/bad-header.js}}]}
                  - {upstream: app}
                """.formatted(origin.address())));
    }

    @AfterAll
    static void stop() {
        portico.close();
        origin.close();
    }

    @Test
    void aRunawayScriptIsStoppedAtItsTimeLimitAndAnsweredWith500() {
        assertThat(portico.get("/spin/warm").statusCode()).isEqualTo(200);
        long before = JsStats.timeouts();

        try (LogCapture log = new LogCapture("io.portico.js.JsFilter")) {
            long start = System.nanoTime();
            HttpResponse<String> response = portico.get("/spin/x?spin=1");

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(JsStats.timeouts()).isEqualTo(before + 1);
            assertThat(log.messages()).anyMatch(m -> m.startsWith("filters/spin.js: onRequest ran past its time limit of 30 ms"));
        }
        // The context that was interrupted serves the next request.
        assertThat(portico.get("/spin/again").statusCode()).isEqualTo(200);
    }

    @Test
    void otherRequestsAreServedWhileAScriptSpins() {
        assertThat(portico.get("/spin/warm").statusCode()).isEqualTo(200);
        CompletableFuture<HttpResponse<String>> spinning = CompletableFuture.supplyAsync(() -> portico.get("/spin/y?spin=1"));

        for (int i = 0; i < 5; i++) {
            assertThat(portico.get("/plain").body()).isEqualTo("from origin");
        }
        assertThat(spinning.join().statusCode()).isEqualTo(500);
    }

    @Test
    void aFailOpenScriptThatRunsOutOfTimeLetsTheRequestThrough() {
        assertThat(portico.get("/spin-open/warm").statusCode()).isEqualTo(200);

        HttpResponse<String> response = portico.get("/spin-open/x?spin=1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("from origin");
    }

    @Test
    void aThrowingScriptIsAnsweredWith500AndLoggedWithFileAndLine() {
        long before = JsStats.errors();
        try (LogCapture log = new LogCapture("io.portico.js.JsFilter")) {
            assertThat(portico.get("/throws/").statusCode()).isEqualTo(500);

            assertThat(JsStats.errors()).isEqualTo(before + 1);
            assertThat(log.messages()).anySatisfy(m -> assertThat(m)
                    .startsWith("filters/throws.js:4: TypeError: Cannot read property 'perSecond' of undefined")
                    .endsWith("(in onRequest); the request is answered with 500"));
        }
    }

    @Test
    void aBadArgumentToPorticoIsReportedAtTheScriptsLine() {
        try (LogCapture log = new LogCapture("io.portico.js.JsFilter")) {
            assertThat(portico.get("/bad-respond/").statusCode()).isEqualTo(500);

            assertThat(log.messages()).anySatisfy(m -> assertThat(m).startsWith(
                    "filters/bad-respond.js:2: ctx.respond(): status must be an integer from 200 to 599, got 99"));
        }
    }

    @Test
    void aBadHeaderValueNamesTheHeadersFunction() {
        try (LogCapture log = new LogCapture("io.portico.js.JsFilter")) {
            assertThat(portico.get("/bad-header/").statusCode()).isEqualTo(500);

            assertThat(log.messages()).anySatisfy(m -> assertThat(m).startsWith(
                    "filters/bad-header.js:2: res.headers.add(): value must be a string, got "));
        }
    }

    @Test
    void scriptsCannotReachJavaOtherLanguagesOrFiles() {
        HttpResponse<String> response = portico.get("/escape/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(response.body()).isEqualTo("""
                {"javaType":"denied","polyglotEval":"denied","load":"denied",\
                "hostClass":"denied","graal":"denied"}""");
    }
}

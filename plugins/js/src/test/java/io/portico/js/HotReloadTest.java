package io.portico.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.core.test.TestOrigin;
import io.portico.core.test.TestPortico;
import io.portico.js.engine.JsStats;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changed script is served without a restart; a broken change is refused and logged. */
class HotReloadTest {

    @TempDir
    Path dir;

    private static String version(int n) {
        return """
                export function onResponse(res, ctx) {
                  res.headers.set('x-version', '%d');
                }
                """.formatted(n);
    }

    private static String servedVersion(TestPortico portico) {
        return portico.get("/").headers().firstValue("x-version").orElse("none");
    }

    @Test
    void theNextRequestRunsTheChangedScript() {
        ConfigDir config = new ConfigDir(dir);
        config.script("version.js", version(1));
        try (TestOrigin origin = TestOrigin.start(TestOrigin.text("ok"));
             TestPortico portico = TestPortico.start(config.config("""
                     upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                     routes: [{upstream: app, filters: [{js: {script: filters/version.js}}]}]
                     """.formatted(origin.address())))) {
            assertThat(servedVersion(portico)).isEqualTo("1");

            config.script("version.js", version(2));

            await().atMost(Duration.ofSeconds(10)).until(() -> servedVersion(portico).equals("2"));
        }
    }

    @Test
    void aChangeThatDoesNotCompileIsLoggedAndThePreviousVersionKeepsServing() {
        ConfigDir config = new ConfigDir(dir);
        config.script("version.js", version(1));
        try (TestOrigin origin = TestOrigin.start(TestOrigin.text("ok"));
             TestPortico portico = TestPortico.start(config.config("""
                     upstreams: {app: {balancer: sequential, endpoints: ['%s']}}
                     routes: [{upstream: app, filters: [{js: {script: filters/version.js}}]}]
                     """.formatted(origin.address())));
             LogCapture log = new LogCapture("io.portico.js.script.ScriptFile")) {
            assertThat(servedVersion(portico)).isEqualTo("1");
            long refused = JsStats.failedReloads();

            config.script("version.js", """
                    export function onResponse(res, ctx) {
                      res.headers.set('x-version', '2'
                    }
                    """);

            await().atMost(Duration.ofSeconds(10)).until(() -> JsStats.failedReloads() > refused);
            assertThat(log.messages()).anySatisfy(m -> assertThat(m)
                    .startsWith("filters/version.js:3: SyntaxError: Expected , but found }")
                    .endsWith("; version 1 keeps serving"));
            assertThat(servedVersion(portico)).isEqualTo("1");

            config.script("version.js", version(3));
            await().atMost(Duration.ofSeconds(10)).until(() -> servedVersion(portico).equals("3"));
        }
    }
}

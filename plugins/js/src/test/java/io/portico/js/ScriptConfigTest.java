package io.portico.js;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.core.config.ConfigException;
import io.portico.core.test.TestPortico;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a configuration naming a bad script, or bad settings, says at start. */
class ScriptConfigTest {

    @TempDir
    Path dir;

    private void startWith(String filter) {
        ConfigDir config = new ConfigDir(dir);
        TestPortico.start(config.config("""
                upstreams: {app: {balancer: sequential, endpoints: ['127.0.0.1:9']}}
                routes: [{upstream: app, filters: [%s]}]
                """.formatted(filter))).close();
    }

    @Test
    void aSyntaxErrorStopsTheStartWithFileLineAndMessage() {
        new ConfigDir(dir).script("broken.js", """
                export function onRequest(req, ctx) {
                  if (req.path === '/a' {
                  }
                }
                """);

        assertThatThrownBy(() -> startWith("{js: {script: filters/broken.js}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].filters[0].js: filters/broken.js:2: SyntaxError: Expected ) but found {");
    }

    @Test
    void aScriptWithoutFilterFunctionsIsRefused() {
        new ConfigDir(dir).script("empty.js", "export const answer = 42;\n");

        assertThatThrownBy(() -> startWith("{js: {script: filters/empty.js}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("filters/empty.js: a filter script must export a function onRequest(req, ctx)"
                        + " or onResponse(res, ctx)");
    }

    @Test
    void aMissingScriptIsNamedWithItsPath() {
        assertThatThrownBy(() -> startWith("{js: {script: filters/missing.js}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("routes[0].filters[0].js: script: no such file: " + dir.resolve("filters/missing.js"));
    }

    @Test
    void theScriptSettingIsRequired() {
        assertThatThrownBy(() -> startWith("{js: {timeout: 20ms}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'script' is required");
    }

    @Test
    void aTimeoutOutOfRangeIsRefused() {
        new ConfigDir(dir).script("ok.js", "export function onRequest(req, ctx) {}\n");

        assertThatThrownBy(() -> startWith("{js: {script: filters/ok.js, timeout: 1m}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'timeout' must be between 1ms and 10s, got 60000ms");
    }

    @Test
    void topLevelCodeThatThrowsIsReported() {
        new ConfigDir(dir).script("top.js", """
                const table = undefinedThing.build();
                export function onRequest(req, ctx) {}
                """);

        assertThatThrownBy(() -> startWith("{js: {script: filters/top.js}}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("filters/top.js:1: ReferenceError: undefinedThing is not defined");
    }
}

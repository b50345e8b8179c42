package io.portico.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portico.api.config.NoConfig;
import io.portico.api.config.Size;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class ConfigMapperTest {

    private static final ObjectMapper MAPPER = ConfigMapper.create();
    private static final Path FILE = Path.of("portico.yaml");

    /** A plugin's configuration type, as a plugin author would write it. */
    record RateLimitConfig(Integer perSecond, Duration window, Size maxKeySize, Mode mode, List<Rule> rules) {

        enum Mode { BLOCK, LOG_ONLY }

        record Rule(String header, Integer limit) {
        }

        RateLimitConfig {
            Objects.requireNonNull(perSecond, "per-second is required");
            if (perSecond < 1) {
                throw new IllegalArgumentException("per-second must be at least 1, got " + perSecond);
            }
        }
    }

    private static JsonNode yaml(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private static <T> T bind(String settings, Class<T> type) throws Exception {
        return ConfigMapper.bind(MAPPER, yaml(settings), type, FILE, "routes[2].filters[1].rate-limit");
    }

    @Test
    void bindsKebabCaseKeysDurationsSizesAndEnums() throws Exception {
        RateLimitConfig config = bind("""
                per-second: 10
                window: 250ms
                max-key-size: 1KB
                mode: log-only
                rules: [{header: x-tenant, limit: 3}]
                """, RateLimitConfig.class);

        assertThat(config).isEqualTo(new RateLimitConfig(10, Duration.ofMillis(250), Size.ofKilobytes(1),
                RateLimitConfig.Mode.LOG_ONLY, List.of(new RateLimitConfig.Rule("x-tenant", 3))));
    }

    @Test
    void noConfigAcceptsAnEmptyMap() throws Exception {
        assertThat(bind("{}", NoConfig.class)).isEqualTo(NoConfig.INSTANCE);
    }

    @Test
    void noConfigRejectsSettings() {
        assertThatThrownBy(() -> bind("{level: 9}", NoConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage("portico.yaml: routes[2].filters[1].rate-limit: unknown key 'level'; no settings are expected here");
    }

    @Test
    void aFailureNamesTheKeyInsideTheSettings() {
        assertThatThrownBy(() -> bind("{per-second: 1, rules: [{header: a, limit: lots}]}", RateLimitConfig.class))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).isEqualTo(FILE);
                    assertThat(e.keyPath()).isEqualTo("routes[2].filters[1].rate-limit.rules[0].limit");
                    assertThat(e.problem()).isEqualTo("expected a number, got 'lots'");
                });
    }

    @Test
    void anUnknownSettingListsTheKnownOnes() {
        assertThatThrownBy(() -> bind("{per-second: 1, per-minute: 60}", RateLimitConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage("portico.yaml: routes[2].filters[1].rate-limit: unknown key 'per-minute'; "
                        + "expected one of: max-key-size, mode, per-second, rules, window");
    }

    @Test
    void theConfigTypesOwnChecksAreReported() {
        assertThatThrownBy(() -> bind("{}", RateLimitConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage("portico.yaml: routes[2].filters[1].rate-limit: per-second is required");
        assertThatThrownBy(() -> bind("{per-second: 0}", RateLimitConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage("portico.yaml: routes[2].filters[1].rate-limit: per-second must be at least 1, got 0");
    }

    @Test
    void textValuesAreChecked() {
        assertThatThrownBy(() -> bind("{per-second: 1, window: soon}", RateLimitConfig.class))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.keyPath()).isEqualTo("routes[2].filters[1].rate-limit.window");
                    assertThat(e.problem()).isEqualTo("expected a duration such as 250ms, 5s, 2m or 1h, got 'soon'");
                });
        assertThatThrownBy(() -> bind("{per-second: 1, mode: drop}", RateLimitConfig.class))
                .isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.problem()).isEqualTo("expected one of block, log-only, got 'drop'"));
    }

    @Test
    void settingsThatAreNotAMap() {
        assertThatThrownBy(() -> bind("fast", RateLimitConfig.class))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.keyPath()).isEqualTo("routes[2].filters[1].rate-limit");
                    assertThat(e.problem()).isEqualTo("expected a map, got 'fast'");
                });
    }

    @Test
    void bindsTheSettingsOfALoadedReference() {
        PorticoConfig config = ConfigLoader.parse("""
                upstreams: {api: {endpoints: [127.0.0.1:9001]}}
                routes:
                  - upstream: api
                    filters:
                      - rate-limit: {per-second: 5, window: 1m}
                """, FILE);
        ExtensionRef ref = config.routes().getFirst().filters().getFirst();

        RateLimitConfig bound = ConfigMapper.bind(MAPPER, ref.settings(), RateLimitConfig.class, FILE, ref.settingsPath());

        assertThat(bound.perSecond()).isEqualTo(5);
        assertThat(bound.window()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aBareNameBindsAsEmptySettings() {
        ExtensionRef ref = ConfigLoader.parse("""
                upstreams: {api: {endpoints: [127.0.0.1:9001]}}
                routes: [{upstream: api, filters: [rate-limit]}]
                """, FILE).routes().getFirst().filters().getFirst();

        assertThatThrownBy(() -> ConfigMapper.bind(MAPPER, ref.settings(), RateLimitConfig.class, FILE, ref.settingsPath()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("portico.yaml: routes[0].filters[0].rate-limit: per-second is required");
        assertThat(ConfigMapper.bind(MAPPER, ref.settings(), NoConfig.class, FILE, ref.settingsPath())).isEqualTo(NoConfig.INSTANCE);
    }
}

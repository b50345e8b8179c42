package io.portico.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostMatcherTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "api.example.com,    api.example.com,     true",
        "api.example.com,    API.Example.COM,     true",
        "API.example.com,    api.example.com,     true",
        "api.example.com,    www.example.com,     false",
        "api.example.com,    example.com,         false",
        "api.example.com,    xapi.example.com,    false",
        "*.example.com,      a.example.com,       true",
        "*.example.com,      a.b.example.com,     true",
        "*.example.com,      A.EXAMPLE.com,       true",
        "*.Example.com,      a.example.com,       true",
        "*.example.com,      example.com,         false",
        "*.example.com,      .example.com,        false",
        "*.example.com,      badexample.com,      false",
        "*.example.com,      a.example.com.evil,  false",
        "[::1],              [::1],               true",
        "[::1],              ::1,                 false",
    })
    void matchesExactNamesAndWildcardsIgnoringCase(String pattern, String host, boolean expected) {
        assertThat(HostMatcher.of(List.of(pattern)).matches(host)).isEqualTo(expected);
    }

    @Test
    void matchesAnyOfSeveralHosts() {
        HostMatcher hosts = HostMatcher.of(List.of("example.com", "*.example.com", "example.org"));

        assertThat(hosts.matches("example.com")).isTrue();
        assertThat(hosts.matches("www.example.com")).isTrue();
        assertThat(hosts.matches("example.org")).isTrue();
        assertThat(hosts.matches("www.example.org")).isFalse();
        assertThat(hosts.matches("")).isFalse();
    }

    @Test
    void noHostsMatchEveryHostIncludingNone() {
        HostMatcher hosts = HostMatcher.of(List.of());

        assertThat(hosts.matches("anything.example")).isTrue();
        assertThat(hosts.matches("")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"              | expected a host name",
        "*                 | a wildcard is only allowed as a leading '*.'",
        "a.*.example.com   | a wildcard is only allowed as a leading '*.'",
        "*example.com      | a wildcard is only allowed as a leading '*.'",
        "*.*.example.com   | a wildcard is only allowed as a leading '*.'",
        "example.com:8080  | a host condition has no port",
        "exa mple.com      | expected letters, digits",
        "example.com/      | expected letters, digits",
        "*.                | expected non-empty labels",
        ".example.com      | expected non-empty labels",
        "example..com      | expected non-empty labels",
        "example.com.      | expected non-empty labels",
        "[::1              | expected an IPv6 address in brackets",
        "[zz::1]           | expected an IPv6 address in brackets",
    })
    void rejectsInvalidPatterns(String pattern, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HostMatcher.of(List.of(pattern)))
                .withMessageStartingWith("invalid host '" + pattern + "': ")
                .withMessageContaining(message);
    }
}

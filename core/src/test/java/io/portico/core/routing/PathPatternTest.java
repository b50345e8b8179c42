package io.portico.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PathPatternTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
        "/users,                  /users,              true",
        "/users,                  /users/,             false",
        "/users,                  /Users,              false",
        "/users,                  /users/42,           false",
        "/users/,                 /users/,             true",
        "/users/,                 /users,              false",
        "/,                       /,                   true",
        "/,                       /a,                  false",
        "/users/*,                /users/42,           true",
        "/users/*,                /users/,             false",
        "/users/*,                /users,              false",
        "/users/*,                /users/42/,          false",
        "/users/*,                /users/42/orders,    false",
        "/users/*/orders,         /users/42/orders,    true",
        "/users/*/orders,         /users//orders,      false",
        "/users/{id}/orders,      /users/42/orders,    true",
        "/users/{id}/orders,      /users/42/order,     false",
        "/users/{id}/orders,      /users/42/ordersx,   false",
        "/static/**,              /static,             true",
        "/static/**,              /static/,            true",
        "/static/**,              /static/css/a.css,   true",
        "/static/**,              /staticx/a.css,      false",
        "/static/**,              /stat,               false",
        "/**,                     /,                   true",
        "/**,                     /anything/at/all,    true",
        "/a/*/**,                 /a/b,                true",
        "/a/*/**,                 /a/b/c/d,            true",
        "/a/*/**,                 /a/,                 false",
        "/a%20b/{x},              /a%20b/1,            true",
        "/a%20b/{x},              /a b/1,              false",
    })
    void matchesSegmentBySegment(String pattern, String path, boolean expected) {
        assertThat(PathPattern.compile(pattern).matches(path)).isEqualTo(expected);
    }

    @Test
    void doesNotMatchATargetThatIsNotAPath() {
        assertThat(PathPattern.compile("/**").matches("*")).isFalse();
        assertThat(PathPattern.compile("/**").matches("")).isFalse();
    }

    @Test
    void capturesNamedSegmentsInPatternOrder() {
        PathPattern pattern = PathPattern.compile("/users/{user}/*/orders/{order_id}/**");

        assertThat(pattern.captureNames()).containsExactly("user", "order_id");
        assertThat(pattern.captures("/users/ann/x/orders/7/lines/2")).containsExactly("ann", "7");
    }

    @Test
    void capturesStayPercentEncoded() {
        assertThat(PathPattern.compile("/files/{name}").captures("/files/a%2Fb%20c")).containsExactly("a%2Fb%20c");
    }

    @Test
    void aPatternWithoutCapturesCapturesNothing() {
        PathPattern pattern = PathPattern.compile("/a/*/**");

        assertThat(pattern.captureNames()).isEmpty();
        assertThat(pattern.captures("/a/b/c")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "/a/**/b       | '**' is only allowed as the last segment",
        "/a*           | segment 'a*' mixes text with '*' or braces",
        "/files/{id}.json | segment '{id}.json' mixes text",
        "/a/{id        | segment '{id' mixes text",
        "/a/id}        | segment 'id}' mixes text",
        "/a/{}         | capture '{}' needs a name",
        "/a/{1st}      | capture '{1st}' needs a name",
        "/a/{a-b}      | capture '{a-b}' needs a name",
        "/{id}/{id}    | capture 'id' appears twice",
        "/***          | segment '***' mixes text",
        "users/*       | a pattern must start with '/'",
    })
    void rejectsMalformedPatterns(String pattern, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathPattern.compile(pattern))
                .withMessageStartingWith("invalid path pattern '" + pattern + "': ")
                .withMessageContaining(message);
    }
}

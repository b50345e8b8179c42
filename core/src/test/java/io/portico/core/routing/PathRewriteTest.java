package io.portico.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.portico.core.config.PathMatch;
import io.portico.core.config.RewriteConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRewriteTest {

    private static final PathMatcher ANY_PATH = PathMatcher.of(null);

    @ParameterizedTest(name = "strip {0} from {1}: {2}")
    @CsvSource({
        "/api,   /api/users,     /users",
        "/api,   /api,           /",
        "/api,   /api/,          /",
        "/api/,  /api/users/1,   /users/1",
        "/api,   /apis/x,        /s/x",
        "/api,   /other/api/x,   /other/api/x",
        "/api,   /ap,            /ap",
    })
    void stripPrefixRemovesALeadingPrefixAndKeepsThePathAbsolute(String prefix, String path, String expected) {
        assertThat(rewrite(stripPrefix(prefix), ANY_PATH, path)).isEqualTo(expected);
    }

    @Test
    void stripPrefixLeavesOtherPathsAsTheSameString() {
        String path = "/other";

        assertThat(rewrite(stripPrefix("/api"), ANY_PATH, path)).isSameAs(path);
    }

    @ParameterizedTest(name = "{0} -> {1} on {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "^/api/v(\\d+)/(.*)$       | /$2/v$1        | /api/v2/items    | /items/v2",
        "^/old/(?<rest>.*)          | /new/${rest}   | /old/a/b         | /new/a/b",
        "/x                         | /y             | /x/x/x           | /y/x/x",
        "^/api                      | ''             | /api             | /",
        "^/api/(.*)                 | $1             | /api/users       | /users",
        "^/nomatch                  | /z             | /api/users       | /api/users",
        "\\.html$                   | \\$            | /index.html      | /index$",
    })
    void regexReplacesTheFirstMatch(String regex, String replacement, String path, String expected) {
        assertThat(rewrite(new RewriteConfig(null, regex, replacement, null), ANY_PATH, path)).isEqualTo(expected);
    }

    @Test
    void templateIsFilledFromPatternCaptures() {
        PathMatcher pattern = PathMatcher.of(new PathMatch(null, null, "/items/{category}/{id}/**"));

        assertThat(rewrite(template("/v2/{category}-items/{id}"), pattern, "/items/books/42/extra"))
                .isEqualTo("/v2/books-items/42");
        assertThat(rewrite(template("/{id}/{id}"), pattern, "/items/books/42")).isEqualTo("/42/42");
        assertThat(rewrite(template("/static"), pattern, "/items/books/42")).isEqualTo("/static");
    }

    @Test
    void rejectsATemplateWithoutAPattern() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(template("/v2/{id}"), PathMatcher.of(PathMatch.prefix("/items/"))))
                .withMessageContaining("rewrite path '/v2/{id}' needs a path pattern");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(template("/v2"), ANY_PATH))
                .withMessageContaining("needs a path pattern");
    }

    @Test
    void rejectsATemplateUsingAnUndefinedCapture() {
        PathMatcher pattern = PathMatcher.of(new PathMatch(null, null, "/items/{id}"));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(template("/v2/{item}"), pattern))
                .withMessage("rewrite path '/v2/{item}' uses capture 'item', but pattern '/items/{id}' captures only [id]");
    }

    @Test
    void rejectsMalformedTemplates() {
        PathMatcher pattern = PathMatcher.of(new PathMatch(null, null, "/items/{id}"));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(template("/v2/{id"), pattern))
                .withMessageContaining("'{' needs a closing '}'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(template("/v2/id}"), pattern))
                .withMessageContaining("'}' without its '{'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(template("v2/{id}"), pattern))
                .withMessageContaining("must start with '/'");
    }

    @Test
    void rejectsAnInvalidRegex() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(new RewriteConfig(null, "/(unclosed", "/x", null), ANY_PATH))
                .withMessageStartingWith("invalid rewrite regex '/(unclosed': Unclosed group");
    }

    @Test
    void rejectsReplacementsThatReferToMissingGroups() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(new RewriteConfig(null, "^/(a)", "/$2", null), ANY_PATH))
                .withMessage("invalid rewrite replacement '/$2': $2 refers to a group the regex does not have (it has 1)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(new RewriteConfig(null, "^/(?<a>x)", "/${b}", null), ANY_PATH))
                .withMessageContaining("the regex has no group named 'b'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(new RewriteConfig(null, "^/x", "/cost$", null), ANY_PATH))
                .withMessageContaining("ends with a lone '$'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(new RewriteConfig(null, "^/x", "/$x", null), ANY_PATH))
                .withMessageContaining("'$' must be followed by a group number or {name}");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(new RewriteConfig(null, "^/x", "/a\\", null), ANY_PATH))
                .withMessageContaining("ends with a lone '\\'");
    }

    @Test
    void acceptsEveryReplacementThatReplaceFirstAccepts() {
        // $10 with one group is group 1 followed by "0", as Matcher reads it.
        PathRewrite rewrite = PathRewrite.of(new RewriteConfig(null, "^/(\\w+)", "/$10/$0", null), ANY_PATH);

        assertThat(rewrite.apply("/ab/c", PathMatcher.NO_CAPTURES)).isEqualTo("/ab0//ab/c");
    }

    @Test
    void rejectsAStripPrefixThatIsNotAPath() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> PathRewrite.of(stripPrefix("api"), ANY_PATH))
                .withMessage("rewrite strip-prefix must start with '/', got 'api'");
    }

    private static String rewrite(RewriteConfig config, PathMatcher condition, String path) {
        return PathRewrite.of(config, condition).apply(path, condition.captures(path));
    }

    private static RewriteConfig stripPrefix(String prefix) {
        return new RewriteConfig(prefix, null, null, null);
    }

    private static RewriteConfig template(String path) {
        return new RewriteConfig(null, null, null, path);
    }
}

package io.portico.core.config;

/**
 * How a route changes the path before sending the request upstream; the query is kept. Either
 * {@code strip-prefix}, or {@code regex} with {@code replacement}, or {@code path} (a template
 * using the captures of a {@code pattern} match, such as {@code /v2/items/{id}}).
 *
 * @param stripPrefix a prefix to remove ({@code /api} turns {@code /api/users} into {@code /users})
 * @param regex a regular expression searched in the path
 * @param replacement what replaces the match of {@code regex}, with {@code $1}-style groups
 * @param path a template filled from the route's path pattern captures
 */
public record RewriteConfig(String stripPrefix, String regex, String replacement, String path) {

    /** Validates that one form is given. */
    public RewriteConfig {
        int given = (stripPrefix != null ? 1 : 0) + (regex != null ? 1 : 0) + (path != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("expected exactly one of strip-prefix, regex (with replacement) or path");
        }
        if (regex != null && replacement == null) {
            throw new IllegalArgumentException("regex needs a replacement");
        }
        if (regex == null && replacement != null) {
            throw new IllegalArgumentException("replacement needs a regex");
        }
    }
}

package io.portico.core.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The host condition of a route: any of a list of exact host names and leading wildcards, compared
 * without regard to case. An empty list matches every host.
 *
 * <p>{@code *.example.com} matches a subdomain of any depth ({@code a.example.com},
 * {@code a.b.example.com}) but not {@code example.com} itself. An IPv6 literal is written in
 * brackets, as in the {@code Host} header: {@code [::1]}. Patterns carry no port: the request's
 * port is not part of its host.
 */
final class HostMatcher {

    private static final HostMatcher ANY = new HostMatcher(new String[0], new String[0]);

    /** Lower-case exact names. */
    private final String[] names;

    /** Lower-case wildcard suffixes, with their leading dot: {@code .example.com}. */
    private final String[] suffixes;

    private HostMatcher(String[] names, String[] suffixes) {
        this.names = names;
        this.suffixes = suffixes;
    }

    /**
     * Compiles host patterns.
     *
     * @throws IllegalArgumentException naming the first invalid pattern and what was expected
     */
    static HostMatcher of(List<String> patterns) {
        if (patterns.isEmpty()) {
            return ANY;
        }
        List<String> names = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        for (String pattern : patterns) {
            String host = validate(pattern).toLowerCase(Locale.ROOT);
            if (host.startsWith("*.")) {
                suffixes.add(host.substring(1));
            } else {
                names.add(host);
            }
        }
        return new HostMatcher(names.toArray(String[]::new), suffixes.toArray(String[]::new));
    }

    /** Whether {@code host} (without port, in any case) satisfies this condition. */
    boolean matches(String host) {
        if (this == ANY) {
            return true;
        }
        for (String name : names) {
            if (name.equalsIgnoreCase(host)) {
                return true;
            }
        }
        int length = host.length();
        for (String suffix : suffixes) {
            // Longer than the suffix: at least one label before the dot, so *.a.com misses a.com.
            if (length > suffix.length()
                    && host.regionMatches(true, length - suffix.length(), suffix, 0, suffix.length())) {
                return true;
            }
        }
        return false;
    }

    private static String validate(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw invalid(pattern, "expected a host name such as api.example.com or *.example.com");
        }
        if (pattern.startsWith("[")) {
            if (!pattern.endsWith("]") || pattern.length() < 3
                    || !pattern.substring(1, pattern.length() - 1).chars().allMatch(HostMatcher::isIpv6Char)) {
                throw invalid(pattern, "expected an IPv6 address in brackets, such as [::1]");
            }
            return pattern;
        }
        String name = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
        if (name.indexOf('*') >= 0) {
            throw invalid(pattern, "a wildcard is only allowed as a leading '*.', as in *.example.com");
        }
        if (name.indexOf(':') >= 0) {
            throw invalid(pattern, "a host condition has no port (the request's port is ignored)");
        }
        if (!name.chars().allMatch(HostMatcher::isNameChar)) {
            throw invalid(pattern, "expected letters, digits, '-', '_' and '.' only");
        }
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            throw invalid(pattern, "expected non-empty labels separated by single dots");
        }
        return pattern;
    }

    private static boolean isNameChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '_' || c == '.';
    }

    private static boolean isIpv6Char(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.';
    }

    private static IllegalArgumentException invalid(String pattern, String expected) {
        return new IllegalArgumentException("invalid host '" + pattern + "': " + expected);
    }
}

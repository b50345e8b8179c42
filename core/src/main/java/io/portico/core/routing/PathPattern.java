package io.portico.core.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * A path condition matched segment by segment, such as {@code /users/{id}/orders/*}.
 *
 * <p>Both the pattern and the path are split at {@code /}. Each pattern segment is one of:
 * <ul>
 *   <li>a literal, equal to the path segment (case-sensitive, percent-encoding as received);
 *   <li>{@code *}: any one non-empty segment;
 *   <li>{@code {name}}: any one non-empty segment, captured as {@code name} (still percent-encoded);
 *   <li>{@code **}, last only: any rest of the path, including none, so {@code /static/**}
 *       matches {@code /static}, {@code /static/} and {@code /static/css/a.css}.
 * </ul>
 * A trailing slash is an empty last segment: {@code /users/*} matches {@code /users/42} but not
 * {@code /users/42/}. A segment mixing text and wildcards ({@code a*}, {@code {id}.json}) is not
 * supported. Matching allocates nothing; only {@link #captures} does.
 */
final class PathPattern implements PathMatcher {

    private final String source;

    /** Per segment: the literal, or {@code null} for a one-segment wildcard. */
    private final String[] literals;

    /** Per segment: the index of its capture, or -1. */
    private final int[] slots;

    /** Whether the pattern ends with {@code **}. */
    private final boolean anyRest;

    private final List<String> captureNames;

    private PathPattern(String source, String[] literals, int[] slots, boolean anyRest, List<String> captureNames) {
        this.source = source;
        this.literals = literals;
        this.slots = slots;
        this.anyRest = anyRest;
        this.captureNames = captureNames;
    }

    /**
     * Compiles a pattern starting with {@code /}.
     *
     * @throws IllegalArgumentException naming the offending segment and what was expected
     */
    static PathPattern compile(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw invalid(pattern, "a pattern must start with '/'");
        }
        String[] parts = pattern.substring(1).split("/", -1);
        boolean anyRest = parts[parts.length - 1].equals("**");
        int count = anyRest ? parts.length - 1 : parts.length;
        String[] literals = new String[count];
        int[] slots = new int[count];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String part = parts[i];
            slots[i] = -1;
            if (part.equals("*")) {
                continue;
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                String name = part.substring(1, part.length() - 1);
                if (!isCaptureName(name)) {
                    throw invalid(pattern, "capture '" + part + "' needs a name of letters, digits and '_', not starting with a digit");
                }
                if (names.contains(name)) {
                    throw invalid(pattern, "capture '" + name + "' appears twice");
                }
                slots[i] = names.size();
                names.add(name);
                continue;
            }
            if (part.equals("**")) {
                throw invalid(pattern, "'**' is only allowed as the last segment");
            }
            if (part.indexOf('*') >= 0 || part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
                throw invalid(pattern, "segment '" + part + "' mixes text with '*' or braces; a wildcard or capture must be a whole segment");
            }
            literals[i] = part;
        }
        return new PathPattern(pattern, literals, slots, anyRest, List.copyOf(names));
    }

    @Override
    public boolean matches(String path) {
        return scan(path, null);
    }

    @Override
    public List<String> captureNames() {
        return captureNames;
    }

    @Override
    public String[] captures(String path) {
        if (captureNames.isEmpty()) {
            return NO_CAPTURES;
        }
        String[] values = new String[captureNames.size()];
        scan(path, values);
        return values;
    }

    /** The pattern as written. */
    @Override
    public String toString() {
        return source;
    }

    /** Matches {@code path}, filling {@code values} with captures when it is not null. */
    private boolean scan(String path, String[] values) {
        int length = path.length();
        if (length == 0 || path.charAt(0) != '/') {
            return false;
        }
        int start = 1;
        for (int i = 0; i < literals.length; i++) {
            if (start > length) {
                return false; // the path ran out of segments before the pattern
            }
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            String literal = literals[i];
            if (literal != null) {
                if (end - start != literal.length() || !path.startsWith(literal, start)) {
                    return false;
                }
            } else if (end == start) {
                return false;
            } else if (values != null && slots[i] >= 0) {
                values[slots[i]] = path.substring(start, end);
            }
            start = end + 1;
        }
        return anyRest || start > length;
    }

    private static boolean isCaptureName(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        return name.chars().allMatch(c -> c == '_' || c < 128 && Character.isLetterOrDigit(c));
    }

    private static IllegalArgumentException invalid(String pattern, String expected) {
        return new IllegalArgumentException("invalid path pattern '" + pattern + "': " + expected);
    }
}

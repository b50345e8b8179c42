package io.portico.core.routing;

import io.portico.core.config.RewriteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a route changes the path before it goes upstream. The path is rewritten without its query;
 * the caller sets the result with {@code RequestHead.path}, which keeps the query. A result that
 * does not start with {@code /} gets one: an empty result becomes {@code /}.
 */
sealed interface PathRewrite permits PathRewrite.StripPrefix, PathRewrite.RegexReplace, PathRewrite.Template {

    /** Rewrites {@code path}, given the captures of the route's path condition. */
    String apply(String path, String[] captures);

    /**
     * Compiles a rewrite for a route whose path condition is {@code condition}.
     *
     * @throws IllegalArgumentException when the rewrite is malformed or uses captures the
     *     condition does not define
     */
    static PathRewrite of(RewriteConfig config, PathMatcher condition) {
        if (config.stripPrefix() != null) {
            return new StripPrefix(config.stripPrefix());
        }
        if (config.regex() != null) {
            return RegexReplace.compile(config.regex(), config.replacement());
        }
        return Template.compile(config.path(), condition);
    }

    /** Makes a rewritten path absolute. */
    private static String rooted(String path) {
        return path.startsWith("/") ? path : "/" + path;
    }

    /**
     * Removes {@code prefix} from a path that starts with it, as plain text; other paths pass
     * unchanged. With {@code /api}: {@code /api/users} becomes {@code /users} and {@code /api}
     * becomes {@code /}.
     */
    record StripPrefix(String prefix) implements PathRewrite {

        /** Validates the prefix. */
        public StripPrefix {
            if (prefix.isEmpty() || !prefix.startsWith("/")) {
                throw new IllegalArgumentException("rewrite strip-prefix must start with '/', got '" + prefix + "'");
            }
        }

        @Override
        public String apply(String path, String[] captures) {
            return path.startsWith(prefix) ? rooted(path.substring(prefix.length())) : path;
        }
    }

    /**
     * Replaces the first match of {@code regex} in the path with {@code replacement}, as
     * {@link java.util.regex.Matcher#replaceFirst(String)} does: {@code $1} and {@code ${name}}
     * insert groups, {@code \$} is a literal dollar. A path without a match passes unchanged.
     */
    record RegexReplace(Pattern regex, String replacement) implements PathRewrite {

        static RegexReplace compile(String regex, String replacement) {
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid rewrite regex '" + regex + "': "
                        + e.getDescription() + " near index " + e.getIndex());
            }
            checkReplacement(pattern, replacement);
            return new RegexReplace(pattern, replacement);
        }

        @Override
        public String apply(String path, String[] captures) {
            return rooted(regex.matcher(path).replaceFirst(replacement));
        }

        /** Rejects up front the group references that {@code replaceFirst} would fail on. */
        private static void checkReplacement(Pattern regex, String replacement) {
            int groups = regex.matcher("").groupCount();
            for (int i = 0; i < replacement.length(); i++) {
                char c = replacement.charAt(i);
                if (c == '\\') {
                    if (++i == replacement.length()) {
                        throw badReplacement(replacement, "it ends with a lone '\\'");
                    }
                } else if (c == '$') {
                    if (++i == replacement.length()) {
                        throw badReplacement(replacement, "it ends with a lone '$' (write \\$ for a dollar sign)");
                    }
                    char next = replacement.charAt(i);
                    if (next == '{') {
                        int close = replacement.indexOf('}', i);
                        if (close < 0) {
                            throw badReplacement(replacement, "'${' needs a closing '}'");
                        }
                        String name = replacement.substring(i + 1, close);
                        if (!regex.namedGroups().containsKey(name)) {
                            throw badReplacement(replacement, "the regex has no group named '" + name + "'");
                        }
                        i = close;
                    } else if (next >= '0' && next <= '9') {
                        // Matcher reads further digits only while they name an existing group.
                        if (next - '0' > groups) {
                            throw badReplacement(replacement, "$" + next + " refers to a group the regex does not have (it has "
                                    + groups + ")");
                        }
                    } else {
                        throw badReplacement(replacement, "'$' must be followed by a group number or {name} (write \\$ for a dollar sign)");
                    }
                }
            }
        }

        private static IllegalArgumentException badReplacement(String replacement, String reason) {
            return new IllegalArgumentException("invalid rewrite replacement '" + replacement + "': " + reason);
        }
    }

    /**
     * A new path built from a template, such as {@code /v2/items/{id}}, whose {@code {name}}
     * placeholders are filled with the captures of the route's path pattern.
     */
    final class Template implements PathRewrite {

        /** The text around the placeholders: one more than {@link #slots}. */
        private final String[] texts;

        /** Per placeholder, the index of its capture. */
        private final int[] slots;

        private Template(String[] texts, int[] slots) {
            this.texts = texts;
            this.slots = slots;
        }

        static Template compile(String template, PathMatcher condition) {
            if (!(condition instanceof PathPattern pattern)) {
                throw new IllegalArgumentException("rewrite path '" + template
                        + "' needs a path pattern to take captures from, such as match.path.pattern: /items/{id}");
            }
            if (!template.startsWith("/")) {
                throw new IllegalArgumentException("rewrite path must start with '/', got '" + template + "'");
            }
            List<String> names = pattern.captureNames();
            List<String> texts = new ArrayList<>();
            List<Integer> slots = new ArrayList<>();
            int from = 0;
            for (int open = template.indexOf('{'); open >= 0; open = template.indexOf('{', from)) {
                int close = template.indexOf('}', open);
                if (close < 0) {
                    throw new IllegalArgumentException("rewrite path '" + template + "': '{' needs a closing '}'");
                }
                String name = template.substring(open + 1, close);
                int slot = names.indexOf(name);
                if (slot < 0) {
                    throw new IllegalArgumentException("rewrite path '" + template + "' uses capture '" + name
                            + "', but pattern '" + pattern + "' captures only " + names);
                }
                texts.add(literal(template, template.substring(from, open)));
                slots.add(slot);
                from = close + 1;
            }
            texts.add(literal(template, template.substring(from)));
            return new Template(texts.toArray(String[]::new), slots.stream().mapToInt(Integer::intValue).toArray());
        }

        @Override
        public String apply(String path, String[] captures) {
            StringBuilder result = new StringBuilder(texts[0]);
            for (int i = 0; i < slots.length; i++) {
                result.append(captures[slots[i]]).append(texts[i + 1]);
            }
            return result.toString();
        }

        private static String literal(String template, String text) {
            if (text.indexOf('}') >= 0) {
                throw new IllegalArgumentException("rewrite path '" + template + "' has a '}' without its '{'");
            }
            return text;
        }
    }
}

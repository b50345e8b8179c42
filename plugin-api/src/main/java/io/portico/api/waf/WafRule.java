package io.portico.api.waf;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One WAF rule: a pattern searched for in parts of the request.
 *
 * <p>The engine decodes each target as an attacker would hide it (percent-decoding, case) before
 * matching, adds the score of each matching rule, and blocks a request whose total reaches the
 * filter's threshold.
 *
 * @param id a stable identifier, reported in logs and block responses ({@code 942100})
 * @param description what the rule detects ({@code SQL injection: UNION SELECT})
 * @param targets where to look
 * @param pattern what to look for ({@link java.util.regex.Matcher#find()} semantics)
 * @param score how much a match counts towards the blocking threshold, at least 1
 */
public record WafRule(String id, String description, Set<Target> targets, Pattern pattern, int score) {

    /** Parts of a request that a rule can inspect. */
    public enum Target {
        /** The path, percent-decoded. */
        PATH,
        /** The names and values of query parameters, decoded. */
        QUERY,
        /** Header values (not names). */
        HEADERS,
        /** The names and values of cookies. */
        COOKIES,
        /** The body, when the WAF filter reads it (forms, JSON, text). */
        BODY
    }

    /** Validates the rule. */
    public WafRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(pattern, "pattern");
        targets = Set.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("rule " + id + " inspects no target");
        }
        if (score < 1) {
            throw new IllegalArgumentException("rule " + id + " needs a score of at least 1, got " + score);
        }
    }
}

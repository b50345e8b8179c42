package io.portico.core.config;

import java.time.Duration;
import java.util.Locale;

/** Parsing and checking of durations as written in the configuration: {@code 250ms}, {@code 5s}. */
public final class Durations {

    private Durations() {
    }

    /**
     * Parses {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}; a bare {@code 0} is zero.
     *
     * @throws IllegalArgumentException saying what was expected
     */
    public static Duration parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException(expected(text));
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(expected(text));
        }
        return switch (s.substring(i).trim()) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "" -> {
                if (n != 0) {
                    throw new IllegalArgumentException(expected(text));
                }
                yield Duration.ZERO;
            }
            default -> throw new IllegalArgumentException(expected(text));
        };
    }

    /** Returns {@code d} if it is positive; otherwise throws naming {@code key}. */
    public static Duration positive(Duration d, String key) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(key + " must be more than 0, got " + d.toMillis() + "ms");
        }
        return d;
    }

    private static String expected(String text) {
        return "expected a duration such as 250ms, 5s, 2m or 1h, got '" + text + "'";
    }
}

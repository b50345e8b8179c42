package io.portico.api.config;

import java.util.Locale;

/**
 * An amount of bytes, as written in the configuration: {@code 512B}, {@code 8KB}, {@code 16MB},
 * {@code 1GB}. Units are binary ({@code 1KB} is 1024 bytes); a bare number is bytes.
 *
 * @param bytes the number of bytes, never negative
 */
public record Size(long bytes) implements Comparable<Size> {

    /** Validates that the amount is not negative. */
    public Size {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size cannot be negative, got " + bytes);
        }
    }

    /** A size of {@code n} bytes. */
    public static Size ofBytes(long n) {
        return new Size(n);
    }

    /** A size of {@code n} kibibytes. */
    public static Size ofKilobytes(long n) {
        return new Size(Math.multiplyExact(n, 1024L));
    }

    /** A size of {@code n} mebibytes. */
    public static Size ofMegabytes(long n) {
        return new Size(Math.multiplyExact(n, 1024L * 1024));
    }

    /**
     * Parses {@code 8KB}, {@code 8 KB}, {@code 8kb}, {@code 8K}, {@code 100} (bytes).
     *
     * @throws IllegalArgumentException naming the expected form when {@code text} is not a size
     */
    public static Size parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException(expected(text));
        }
        long factor = switch (s.substring(i)) {
            case "", "B" -> 1L;
            case "K", "KB", "KIB" -> 1L << 10;
            case "M", "MB", "MIB" -> 1L << 20;
            case "G", "GB", "GIB" -> 1L << 30;
            default -> throw new IllegalArgumentException(expected(text));
        };
        try {
            return new Size(Math.multiplyExact(Long.parseLong(s.substring(0, i)), factor));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(expected(text));
        }
    }

    private static String expected(String text) {
        return "expected a size such as 512B, 8KB, 16MB or 1GB, got '" + text + "'";
    }

    /** The size as an {@code int}, saturated at {@link Integer#MAX_VALUE}. */
    public int toIntSaturated() {
        return (int) Math.min(bytes, Integer.MAX_VALUE);
    }

    @Override
    public int compareTo(Size other) {
        return Long.compare(bytes, other.bytes);
    }

    @Override
    public String toString() {
        if (bytes != 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GB";
        }
        if (bytes != 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MB";
        }
        if (bytes != 0 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "KB";
        }
        return bytes + "B";
    }
}

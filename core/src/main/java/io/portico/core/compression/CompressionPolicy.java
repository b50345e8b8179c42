package io.portico.core.compression;

import io.portico.core.config.CompressionConfig;
import java.util.List;
import java.util.Locale;

/**
 * A route's compression settings, compiled: which media types and sizes qualify, and the codings
 * offered with their levels. Immutable and shared by every connection.
 */
public final class CompressionPolicy {

    private final List<String> exact;
    private final List<String> prefixes;
    private final List<String[]> patterns;
    private final long minSize;
    private final boolean gzip;
    private final int level;
    private final boolean brotli;
    private final int brotliLevel;

    private CompressionPolicy(CompressionConfig config) {
        this.exact = config.types().stream().filter(t -> !t.contains("*")).toList();
        this.prefixes = config.types().stream().filter(t -> t.endsWith("/*")).map(t -> t.substring(0, t.length() - 1)).toList();
        this.patterns = config.types().stream().filter(t -> t.contains("*") && !t.endsWith("/*"))
                .map(t -> t.split("\\*", -1)).toList();
        this.minSize = config.minSize().bytes();
        this.gzip = config.gzip();
        this.level = config.level();
        this.brotli = config.brotli() && BrotliStream.available();
        this.brotliLevel = config.brotliLevel();
    }

    /** The policy of {@code config}, or {@code null} when it is absent or offers no coding. */
    public static CompressionPolicy of(CompressionConfig config) {
        if (config == null) {
            return null;
        }
        CompressionPolicy policy = new CompressionPolicy(config);
        return policy.gzip || policy.brotli ? policy : null;
    }

    /**
     * The stream for a client whose {@code Accept-Encoding} is {@code acceptEncoding}: the coding
     * it wants most among those offered, Brotli on a tie; {@code null} when it wants none.
     */
    CompressionStream streamFor(String acceptEncoding) {
        double gz = gzip ? AcceptEncoding.quality(acceptEncoding, "gzip") : 0;
        double br = brotli ? AcceptEncoding.quality(acceptEncoding, "br") : 0;
        if (br > 0 && br >= gz) {
            return new BrotliStream(brotliLevel);
        }
        return gz > 0 ? new GzipStream(level) : null;
    }

    /** Whether responses of {@code contentType} (a header value, parameters allowed) qualify. */
    public boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (exact.contains(type)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (type.startsWith(prefix)) {
                return true;
            }
        }
        for (String[] pattern : patterns) {
            if (type.length() >= pattern[0].length() + pattern[1].length() && type.startsWith(pattern[0])
                    && type.endsWith(pattern[1])) {
                return true;
            }
        }
        return false;
    }

    /** The smallest {@code Content-Length} compressed. */
    public long minSize() {
        return minSize;
    }
}

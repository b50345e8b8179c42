package io.portico.core.config;

import io.portico.api.config.Size;
import java.util.List;

/**
 * Compression of a route's responses, done by Portico while they stream to the client.
 *
 * <pre>{@code
 * routes:
 *   - upstream: app
 *     compression: {types: [text/*, application/json], min-size: 1KB}
 * }</pre>
 *
 * <p>A response is compressed when the client accepts the coding ({@code Accept-Encoding}, with
 * q-values), its {@code Content-Type} is one of {@code types}, its {@code Content-Length} (when it
 * has one) is at least {@code min-size}, and it is not already encoded, a range ({@code 206}) or
 * marked {@code Cache-Control: no-transform}.
 *
 * @param types the media types compressed; {@code text/*} matches every {@code text/} type
 *     (default: text, JSON, JavaScript, XML, SVG and WebAssembly types)
 * @param minSize responses declaring a smaller {@code Content-Length} are sent as they are
 *     (default 1KB)
 * @param gzip whether {@code gzip} is offered (default true)
 * @param level the gzip level, 1 (fastest) to 9 (smallest) (default 5)
 * @param brotli whether {@code br} is offered, when Brotli's native library loads (bundled for
 *     linux-x86_64) (default true); preferred to gzip when the client wants both as much
 * @param brotliLevel the Brotli quality, 0 (fastest) to 11 (smallest) (default 4)
 */
public record CompressionConfig(List<String> types, Size minSize, Boolean gzip, Integer level, Boolean brotli,
                                Integer brotliLevel) {

    /** The media types compressed when {@code types} is not given. */
    public static final List<String> DEFAULT_TYPES = List.of("text/*", "application/json", "application/*+json",
            "application/javascript", "application/xml", "application/*+xml", "image/svg+xml", "application/wasm");

    /** Applies defaults and validates. */
    public CompressionConfig {
        types = types == null ? DEFAULT_TYPES : List.copyOf(types);
        for (String type : types) {
            if (!type.matches("[a-z0-9!#$&^_.+-]+/(\\*|[a-z0-9!#$&^_.+-]*\\*?[a-z0-9!#$&^_.+-]*)")) {
                throw new IllegalArgumentException("types: expected media types such as text/html, text/* or application/*+json, got '"
                        + type + "'");
            }
        }
        minSize = minSize == null ? Size.ofKilobytes(1) : minSize;
        gzip = gzip == null || gzip;
        level = level == null ? 5 : level;
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("level: expected 1 (fastest) to 9 (smallest), got " + level);
        }
        brotli = brotli == null || brotli;
        brotliLevel = brotliLevel == null ? 4 : brotliLevel;
        if (brotliLevel < 0 || brotliLevel > 11) {
            throw new IllegalArgumentException("brotli-level: expected 0 (fastest) to 11 (smallest), got " + brotliLevel);
        }
    }
}

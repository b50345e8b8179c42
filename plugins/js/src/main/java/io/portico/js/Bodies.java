package io.portico.js;

import java.nio.charset.StandardCharsets;
import org.graalvm.polyglot.Value;

/**
 * Converts bodies between Java bytes and script values, in one context: bytes to a {@code
 * Uint8Array}, text or parsed JSON; and a string, {@code Uint8Array}/{@code ArrayBuffer} or any
 * other value (written as JSON) back to bytes.
 */
final class Bodies {

    /** What to send back for a body value, and whether it was written as JSON. */
    record Encoded(byte[] bytes, boolean json) {
    }

    private final Value toBytes;
    private final Value parse;
    private final Value stringify;

    /**
     * @param toBytes a script function turning a Latin-1 string (one char per byte) into a Uint8Array
     * @param parse {@code JSON.parse}
     * @param stringify {@code JSON.stringify}
     */
    Bodies(Value toBytes, Value parse, Value stringify) {
        this.toBytes = toBytes;
        this.parse = parse;
        this.stringify = stringify;
    }

    /** {@code body} as {@code view} shows it: a Uint8Array, a string or a parsed JSON value. */
    Object view(byte[] body, BodyView view) {
        return switch (view) {
            case BYTES -> bytes(body);
            case TEXT -> text(body);
            case JSON -> json(body);
        };
    }

    private Value bytes(byte[] body) {
        // One char per byte: the copy into the typed array then runs as compiled script code
        // instead of one host call per byte.
        return toBytes.execute(new String(body, StandardCharsets.ISO_8859_1));
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    private Value json(byte[] body) {
        return body.length == 0 ? null : parse.execute(text(body));
    }

    /** The bytes of {@code value}; {@code null} and {@code undefined} are an empty body. */
    Encoded encode(Value value, String function) {
        if (value == null || value.isNull()) {
            return new Encoded(new byte[0], false);
        }
        if (value.isString()) {
            return new Encoded(value.asString().getBytes(StandardCharsets.UTF_8), false);
        }
        if (value.hasBufferElements()) {
            byte[] bytes = new byte[Math.toIntExact(value.getBufferSize())];
            value.readBuffer(0, bytes, 0, bytes.length);
            return new Encoded(bytes, false);
        }
        Value buffer = value.hasMembers() ? value.getMember("buffer") : null;
        if (buffer != null && buffer.hasBufferElements()) {
            // A typed array or DataView: its window of the underlying ArrayBuffer.
            byte[] bytes = new byte[value.getMember("byteLength").asInt()];
            buffer.readBuffer(value.getMember("byteOffset").asLong(), bytes, 0, bytes.length);
            return new Encoded(bytes, false);
        }
        Value json = stringify.execute(value);
        if (!json.isString()) {
            throw new IllegalArgumentException(function + ": the body must be a string, a Uint8Array or a value"
                    + " JSON can write, got " + Args.describe(value));
        }
        return new Encoded(json.asString().getBytes(StandardCharsets.UTF_8), true);
    }
}

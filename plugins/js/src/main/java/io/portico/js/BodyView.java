package io.portico.js;

/** How a script reads a body: {@code body()}, {@code text()} or {@code json()}. */
enum BodyView {
    /** A {@code Uint8Array} of the bytes. */
    BYTES,
    /** The bytes decoded as UTF-8. */
    TEXT,
    /** The UTF-8 text parsed as JSON; {@code null} for an empty body. */
    JSON
}

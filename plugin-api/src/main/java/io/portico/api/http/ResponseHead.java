package io.portico.api.http;

/**
 * The status and headers of a response on its way back to the client.
 *
 * <p>Response filters may change both; the body streams separately.
 */
public interface ResponseHead {

    /** The status code, such as {@code 200}. */
    int status();

    /** Replaces the status code. */
    void status(int status);

    /** The response headers. */
    Headers headers();
}

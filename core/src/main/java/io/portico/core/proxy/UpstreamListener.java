package io.portico.core.proxy;

import io.netty.handler.codec.http.HttpObject;

/**
 * What an upstream connection tells the exchange it currently serves. Called on the shared event
 * loop.
 */
interface UpstreamListener {

    /** A response head or body part arrived; the listener owns it. */
    void onUpstreamMessage(HttpObject message);

    /** The current batch of reads ended (a good moment to flush). */
    void onUpstreamReadComplete();

    /** The connection can take more writes again. */
    void onUpstreamWritable();

    /** No bytes arrived from the upstream for its idle timeout. */
    void onUpstreamIdle();

    /** The connection closed (by either side, or through an error). */
    void onUpstreamClosed(Throwable cause);
}

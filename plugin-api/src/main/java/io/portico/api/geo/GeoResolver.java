package io.portico.api.geo;

import java.net.InetAddress;

/**
 * Maps a client address to where it is: country, continent, region, network.
 *
 * <p>Called on the event loop for each request of a geo-aware route, so it must answer from
 * memory (a memory-mapped database, a cache), quickly and without blocking. Thread-safe.
 */
public interface GeoResolver {

    /** The location of {@code address}, or {@link GeoLocation#UNKNOWN} when it is not known. */
    GeoLocation resolve(InetAddress address);
}

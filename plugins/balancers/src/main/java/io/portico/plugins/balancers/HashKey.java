package io.portico.plugins.balancers;

/**
 * What a consistent-hashing balancer ({@code ring-hash}, {@code maglev}) hashes to choose the
 * endpoint of a request. Requests with the same key go to the same endpoint while the set of
 * endpoints stays the same. Written in the configuration in lower case: {@code client-address}.
 */
public enum HashKey {
    /** The client's IP address (not its port); works for TCP too. */
    CLIENT_ADDRESS,
    /** The first value of the request header named by {@code name}. */
    HEADER,
    /** The value of the cookie named by {@code name}. */
    COOKIE,
    /** The request path, without the query. */
    PATH,
    /** The first value of the query parameter named by {@code name}. */
    QUERY;

    /** Whether this key needs a {@code name}: a header, cookie or query parameter. */
    boolean named() {
        return this == HEADER || this == COOKIE || this == QUERY;
    }
}

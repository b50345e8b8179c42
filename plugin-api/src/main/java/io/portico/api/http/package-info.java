/**
 * Views of HTTP messages that extensions read and change: request and response heads, headers,
 * and what the client connection's TLS handshake settled (its session and client certificate).
 */
package io.portico.api.http;

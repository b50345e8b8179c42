/**
 * TLS from Portico to origins: the client {@code SslContext} of each upstream that has
 * {@code tls}, with its trust, server name and client certificate.
 */
package io.portico.core.upstream.tls;

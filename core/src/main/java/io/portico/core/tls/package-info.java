/**
 * TLS termination for listeners: PEM certificates and keys read into {@code SslContext}s
 * ({@link io.portico.core.tls.PemFiles}), chosen per connection by the client's SNI name and
 * reloaded from disk when their files change ({@link io.portico.core.tls.ListenerTls}).
 */
package io.portico.core.tls;

/**
 * Response compression while responses stream to clients: which responses qualify
 * ({@link io.portico.core.compression.CompressionPolicy}), the client's choice of coding
 * ({@link io.portico.core.compression.AcceptEncoding}), and the streaming encoder in the client
 * pipeline ({@link io.portico.core.compression.ResponseCompressor}).
 */
package io.portico.core.compression;

/**
 * The layer-4 proxy: listeners in {@code mode: tcp} relay the raw bytes of each connection to an
 * endpoint of their upstream.
 */
package io.portico.core.tcp;

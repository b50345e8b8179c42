/**
 * Endpoints written as host names: resolved when Portico starts, and again whenever their DNS
 * answer's time to live runs out, so that an upstream follows its name's addresses.
 */
package io.portico.core.dns;

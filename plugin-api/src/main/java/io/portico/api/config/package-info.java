/**
 * How extensions are named and configured: {@link io.portico.api.config.ExtensionFactory} and the
 * value types that extension settings may use.
 */
package io.portico.api.config;

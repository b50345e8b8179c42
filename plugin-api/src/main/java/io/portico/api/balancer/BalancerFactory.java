package io.portico.api.balancer;

import io.portico.api.config.ExtensionFactory;

/**
 * Builds the {@link Balancer} an upstream names: {@code balancer: {round-robin: {}}} or
 * {@code balancer: round-robin}. Called once per upstream at config load.
 *
 * @param <C> the configuration type
 */
public interface BalancerFactory<C> extends ExtensionFactory<C, Balancer> {
}

/**
 * Portico's load-balancing algorithms, as the {@code portico-balancers} plugin: each is a {@link
 * io.portico.api.balancer.BalancerFactory} named in an upstream's {@code balancer}.
 */
package io.portico.plugins.balancers;

/**
 * Load balancing: the {@link io.portico.api.balancer.Balancer} extension point that picks an
 * endpoint of an upstream for each request, hears when each request starts and ends (for
 * balancers that count requests in flight themselves), and hears how each request went.
 */
package io.portico.api.balancer;

/**
 * Load balancing: the {@link io.portico.api.balancer.Balancer} extension point that picks an
 * endpoint of an upstream for each request, and hears how the request went.
 */
package io.portico.api.balancer;

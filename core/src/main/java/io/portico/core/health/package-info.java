/**
 * Endpoint health: active health checks ({@link io.portico.core.health.HealthChecker}, one per
 * upstream with a {@code health-check}) and passive health
 * ({@link io.portico.core.health.OutlierDetector}, fed every request's result by
 * {@link io.portico.core.upstream.Upstream#report}).
 */
package io.portico.core.health;

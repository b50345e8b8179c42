package io.portico.core.health;

/**
 * What one probe of an endpoint found.
 *
 * @param healthy whether the probe passed
 * @param reason what it saw, for logs and the admin status: {@code HTTP 503 from /healthz},
 *     {@code connect refused}, {@code timed out after 2s}
 */
record ProbeOutcome(boolean healthy, String reason) {
}

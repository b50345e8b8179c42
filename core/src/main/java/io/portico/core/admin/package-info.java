/** The admin listener: endpoint health as JSON at {@code GET /status}, apart from the proxy. */
package io.portico.core.admin;

/** Views of HTTP messages that extensions read and change: request and response heads, headers. */
package io.portico.api.http;

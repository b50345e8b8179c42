/** Authentication: providers that turn a request's credentials into a principal. */
package io.portico.api.auth;

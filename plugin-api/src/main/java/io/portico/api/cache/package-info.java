/** Cache stores: where the cache filter keeps responses. */
package io.portico.api.cache;

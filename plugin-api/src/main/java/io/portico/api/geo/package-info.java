/** Geolocation: resolvers that map a client address to a country, continent, region and network. */
package io.portico.api.geo;

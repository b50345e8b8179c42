package io.portico.api.geo;

import io.portico.api.filter.AttributeKey;

/**
 * Where an address is. Any field may be {@code null} when the database does not know it.
 *
 * @param country ISO 3166-1 alpha-2 country code, upper case ({@code DE})
 * @param continent two-letter continent code ({@code EU})
 * @param region ISO 3166-2 subdivision code without the country ({@code BE} for Berlin)
 * @param asn autonomous system number, or 0 when unknown
 * @param asOrganization the organisation owning the autonomous system
 */
public record GeoLocation(String country, String continent, String region, long asn, String asOrganization) {

    /** The exchange attribute geo filters store the client's location under. */
    public static final AttributeKey<GeoLocation> ATTRIBUTE = AttributeKey.of("geo.location", GeoLocation.class);

    /** Nothing known. */
    public static final GeoLocation UNKNOWN = new GeoLocation(null, null, null, 0, null);
}

package io.portico.api.config;

/**
 * The configuration type of an extension that takes no settings.
 *
 * <p>Such an extension may be named without settings in the YAML ({@code - my-filter}) or with an
 * empty map ({@code - my-filter: {}}).
 */
public record NoConfig() {

    /** The one instance. */
    public static final NoConfig INSTANCE = new NoConfig();
}

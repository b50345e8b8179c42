package io.portico.api.config;

import org.pf4j.ExtensionPoint;

/**
 * A named factory for one kind of extension, with a typed configuration.
 *
 * <p>The configuration names an extension by its {@link #name()} and gives its settings under that
 * name. For example a route's filter list entry {@code - rate-limit: {per-second: 10}} selects the
 * {@code FilterFactory} named {@code rate-limit} and binds {@code {per-second: 10}} to its
 * {@link #configType()}.
 *
 * <h2>Binding rules</h2>
 * <ul>
 *   <li>The config type is usually a Java {@code record}; its components are YAML keys written in
 *       kebab case ({@code maxSize} is {@code max-size}).
 *   <li>Unknown keys are errors; missing keys are {@code null} (or zero/false for primitives).
 *   <li>{@link java.time.Duration} accepts {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h};
 *       {@link Size} accepts {@code 512B}, {@code 8KB}, {@code 256MB}, {@code 1GB}.
 *   <li>Validate in the record's compact constructor (or in {@link #create}) by throwing
 *       {@link IllegalArgumentException}: Portico reports the message with the file and the key
 *       path of the offending entry, and refuses to start (or keeps the previous config on a
 *       reload).
 *   <li>An extension without settings uses {@link NoConfig}; it may then be written as a bare name
 *       ({@code - my-filter}).
 * </ul>
 *
 * <p>{@link #create} is called once per use site at config load, never on the request path, so it
 * is the place for expensive preparation (compiling patterns, opening databases).
 *
 * @param <C> the configuration type
 * @param <T> the type of extension built
 */
public interface ExtensionFactory<C, T> extends ExtensionPoint {

    /** The name the configuration refers to this extension by: lower case, words joined by {@code -}. */
    String name();

    /** The type the extension's YAML settings are bound to. */
    Class<C> configType();

    /**
     * Builds the extension for one use site.
     *
     * @param config the bound and validated settings
     * @param context where the extension is being created
     * @throws IllegalArgumentException when the settings are invalid; the message says what was expected
     */
    T create(C config, ExtensionContext context);
}

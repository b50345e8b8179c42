package io.portico.api.http;

import java.util.List;
import java.util.Set;

/**
 * The headers of a request or a response. Names are case-insensitive.
 *
 * <p>A {@code Headers} is a live view: changes made by a request filter are what the upstream
 * receives, changes made by a response filter are what the client receives. Like the message it
 * belongs to, it is not thread-safe.
 */
public interface Headers {

    /** The first value of {@code name}, or {@code null} when absent. */
    String get(String name);

    /** Every value of {@code name} in order; empty when absent. */
    List<String> getAll(String name);

    /** Whether {@code name} is present. */
    boolean contains(String name);

    /** Replaces every value of {@code name} with {@code value}. */
    Headers set(String name, String value);

    /** Adds a value of {@code name} after the existing ones. */
    Headers add(String name, String value);

    /** Removes every value of {@code name}; does nothing when absent. */
    Headers remove(String name);

    /** The distinct names present, in lower case. */
    Set<String> names();
}

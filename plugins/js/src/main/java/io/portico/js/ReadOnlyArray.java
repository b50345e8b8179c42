package io.portico.js;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * An array a script may read (index, {@code length}, iteration and the non-mutating methods of
 * {@code Array.prototype}: {@code some}, {@code map}, {@code includes}, ...) but not change: an
 * assignment, {@code push}, {@code sort} or a shorter {@code length} fails with an error naming
 * the array.
 */
final class ReadOnlyArray implements ProxyArray {

    private final String what;
    private final Object[] elements;

    /**
     * @param what how the script names the array in error messages ({@code req.clientCertificate.sans})
     * @param elements the elements: strings, numbers, booleans or proxies, never another Java object
     */
    ReadOnlyArray(String what, Object[] elements) {
        this.what = what;
        this.elements = elements;
    }

    @Override
    public Object get(long index) {
        if (index < 0 || index >= elements.length) {
            throw new ArrayIndexOutOfBoundsException(what + " has no element " + index);
        }
        return elements[(int) index];
    }

    @Override
    public void set(long index, Value value) {
        throw new IllegalStateException(what + " cannot be changed");
    }

    @Override
    public boolean remove(long index) {
        throw new IllegalStateException(what + " cannot be changed");
    }

    @Override
    public long getSize() {
        return elements.length;
    }

    @Override
    public String toString() {
        return what;
    }
}

package io.portico.js;

import java.util.Arrays;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * The base of the objects scripts are handed ({@code req}, {@code res}, {@code ctx}, ...): a fixed
 * set of members, read through a switch, with functions held in fields so that reading a member
 * allocates nothing. Scripts never see a Java object itself.
 */
abstract class MemberObject implements ProxyObject {

    private final String what;
    private final String[] keys;

    /**
     * @param what how the script names this object in error messages ({@code req})
     * @param keys the members, sorted
     */
    MemberObject(String what, String... keys) {
        this.what = what;
        this.keys = keys;
    }

    @Override
    public final Object getMemberKeys() {
        return ProxyArray.fromArray((Object[]) keys.clone());
    }

    @Override
    public final boolean hasMember(String key) {
        return Arrays.binarySearch(keys, key) >= 0;
    }

    /**
     * Refuses: members are read-only unless a subclass says otherwise. Not an {@code
     * UnsupportedOperationException}, which the engine would turn into a {@code TypeError} that
     * drops this message.
     */
    @Override
    public void putMember(String key, Value value) {
        throw new IllegalStateException(what + "." + key + " cannot be assigned");
    }

    @Override
    public String toString() {
        return what;
    }
}

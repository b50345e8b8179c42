package io.portico.js;

import org.graalvm.polyglot.Value;

/** Reads the arguments of a function called by a script; a wrong one fails with what was expected. */
final class Args {

    private Args() {
    }

    /** Argument {@code i}, or {@code null} when the script passed fewer. */
    static Value at(Value[] args, int i) {
        return i < args.length ? args[i] : null;
    }

    /** Argument {@code i} as a string: a string, number or boolean; anything else is an error. */
    static String text(Value[] args, int i, String function, String parameter) {
        return text(at(args, i), function, parameter);
    }

    /** A value as a string: a string, number or boolean; anything else (or {@code null}) is an error. */
    static String text(Value v, String function, String parameter) {
        if (v != null && v.isString()) {
            return v.asString();
        }
        if (v != null && (v.isNumber() || v.isBoolean())) {
            return v.toString();
        }
        throw new IllegalArgumentException(function + ": " + parameter + " must be a string, got " + describe(v));
    }

    /** A value as a script author would name it: {@code undefined}, {@code null}, {@code 'a'}, ... */
    static String describe(Value v) {
        if (v == null) {
            return "undefined";
        }
        if (v.isNull()) {
            return "null";
        }
        return v.isString() ? "'" + v.asString() + "'" : v.toString();
    }
}

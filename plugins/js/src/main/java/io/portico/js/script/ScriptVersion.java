package io.portico.js.script;

import org.graalvm.polyglot.Source;

/**
 * One version of a script file that compiled and was checked: its source, and which of the two
 * filter functions it exports.
 *
 * @param source the module source; contexts evaluating the same source share its parsed code
 * @param generation 1 for the version loaded at start, then 2, 3, ... for each reload
 * @param onRequest whether the module exports a function {@code onRequest}
 * @param onResponse whether the module exports a function {@code onResponse}
 */
public record ScriptVersion(Source source, int generation, boolean onRequest, boolean onResponse) {
}

#!/usr/bin/env bash
# Runs JsFilterBenchmark (bench/jmh): one call of a header-rewriting JavaScript filter at steady
# state, with the optimizing runtime (the Graal compiler on the forked JVM's upgrade module path).
#
#   bench/jmh-js.sh                                   # build, then run with JsFilterBenchmark's settings
#   bench/jmh-js.sh -wi 3 -i 3                        # JMH options, as usual
#   BENCH=JsFilterBenchmark.rewriteRequest bench/jmh-js.sh   # one benchmark (a JMH pattern)
#   JS_RUNTIME=interpreted bench/jmh-js.sh            # without the compiler
#   BUILD=0 bench/jmh-js.sh                           # skip the Maven build
#   JVM_ARGS=-Dpolyglot.engine.TraceCompilation=true bench/jmh-js.sh   # more options for the fork
#   MAIN=FirstCallAfterChange bench/jmh-js.sh   # the first call after a script change, instead of JMH
#
# It runs from the module's class path (GraalJS is not shaded into benchmarks.jar). Maven options
# go in MAVEN_ARGS (e.g. MAVEN_ARGS=-o); JAVA_HOME picks the JDK 25 that runs it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

if [ "${BUILD:-1}" != 0 ]; then
    MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}" mvn -q -pl bench/jmh -am package -DskipTests
fi
if [ ! -f bench/jmh/target/classpath.txt ]; then
    echo "jmh-js: bench/jmh/target/classpath.txt is missing: build first (without BUILD=0)" >&2
    exit 1
fi

# One -jvmArgsAppend for everything: JMH does not split the values of a repeated one.
fork_args="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow${JVM_ARGS:+ $JVM_ARGS}"
case "${JS_RUNTIME:-optimizing}" in
    optimizing)
        compiler=""
        for jar in plugins/js/target/graal-compiler/*.jar; do
            if [ -f "$jar" ]; then
                compiler="${compiler:+$compiler:}$root/$jar"
            fi
        done
        if [ -z "$compiler" ]; then
            echo "jmh-js: no Graal compiler jars in plugins/js/target/graal-compiler: build first" >&2
            exit 1
        fi
        fork_args="$fork_args -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path=$compiler" ;;
    interpreted) ;;
    *)
        echo "jmh-js: JS_RUNTIME must be optimizing or interpreted, got '$JS_RUNTIME'" >&2
        exit 1 ;;
esac

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
classpath="$root/bench/jmh/target/classes:$(cat bench/jmh/target/classpath.txt)"
if [ -n "${MAIN:-}" ]; then
    # A plain program of the module (FirstCallAfterChange), in this JVM with the fork's options.
    # shellcheck disable=SC2086
    "$java" $fork_args -cp "$classpath" "io.portico.bench.jmh.$MAIN" "$@" || status=$?
else
    "$java" --sun-misc-unsafe-memory-access=allow -cp "$classpath" \
        org.openjdk.jmh.Main -jvmArgsAppend "$fork_args" "$@" "${BENCH:-JsFilterBenchmark}" || status=$?
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
exit "${status:-0}"

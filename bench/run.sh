#!/usr/bin/env bash
# Loopback load benchmark: an origin directly, nginx as a reverse proxy, and Portico, each
# measured with wrk on a small and a 16 KiB response. See bench/README.md and docs/BENCHMARKS.md.
#
#   bench/run.sh                    # from any directory
#   DURATION=30s bench/run.sh       # longer measured runs (default 15s; warm-up WARMUP=5s,
#                                   # PORTICO_WARMUP=30s for Portico: its JIT compiler needs it)
#
# Every server binds 127.0.0.1 and wrk only ever targets 127.0.0.1.
set -euo pipefail

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
# The JVM compiles Portico's hot paths while it serves: on two shared cores the optimizing
# compiler is still busy after 5 s of load, and would be measured with it.
PORTICO_WARMUP=${PORTICO_WARMUP:-30s}
NGINX_PORT=9200
PORTICO_PORT=9300
PORTICO_JS_PORT=9301
PATHS=(/small /16k)

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

install_missing_tools wrk=wrk nginx=nginx curl=curl
require_free_ports "${ORIGIN_PORTS[@]}" "$NGINX_PORT" "$PORTICO_PORT" "$PORTICO_JS_PORT"
start_origins

dir=$work/nginx-proxy
mkdir -p "$dir/tmp"
{
    nginx_conf_head "$dir"
    nginx_proxy_conf "127.0.0.1:$NGINX_PORT backlog=4096" ""
} >"$dir/nginx.conf"
start_nginx nginx-proxy
wait_ready "http://127.0.0.1:$NGINX_PORT/small" "${server_pid[nginx-proxy]}" 10 || die "nginx did not start: $(cat "$work/nginx-proxy/error.log")"

# Starts a Portico from the distribution whose launcher is $1, as "$2" (its work directory and
# name in messages), listening on port $3, round robin over both origins, with the routes $4 (YAML
# list items); prints its pid, or nothing (and says why) when it does not answer within $5 seconds.
# (Called in a command substitution: the caller adds the pid to pids, for the cleanup.)
start_portico() {
    local launcher=$1 name=$2 port=$3 routes=$4 patience=$5 home
    home=$(dirname "$(dirname "$launcher")")
    start_portico_with "$launcher" "$name" "http://127.0.0.1:$port/small" "$patience" <<YAML
listen:
  - address: 127.0.0.1:$port
server: {event-loops: 1}
access-log: {enabled: false}
plugins: {dir: $home/plugins}
upstreams:
  origins:
    balancer: round-robin
    endpoints: [127.0.0.1:${ORIGIN_PORTS[0]}, 127.0.0.1:${ORIGIN_PORTS[1]}]
routes:
$routes
YAML
}

# Portico, from the distribution that `mvn package` leaves unpacked in dist/target: the most
# recently built one, should target/ hold more than one version.
portico_pid=
launcher=$(find_launcher "portico-[0-9]*")
if [ -z "$launcher" ]; then
    say "bench: skipping Portico: no distribution in $repo/dist/target (build it with 'mvn package -DskipTests')"
else
    portico_pid=$(start_portico "$launcher" portico "$PORTICO_PORT" "  - upstream: origins" 30)
    [ -n "$portico_pid" ] && pids+=("$portico_pid")
fi

# The full distribution (the one carrying GraalJS), with two routes to the same origins: /js/...
# runs a script that sets a request and a response header, everything else runs no filter. Both
# are measured on this one process, so that the filter's cost is not lost in the differences
# between two JVMs (heap sizing, what the JIT compiler made of each).
portico_js_pid=
js_launcher=$(find_launcher "portico-full-*")
if [ -n "$portico_pid" ] && [ -n "$js_launcher" ] && [ -x "$js_launcher" ]; then
    mkdir -p "$work/portico-js/filters"
    cat >"$work/portico-js/filters/headers.js" <<'JS'
export function onRequest(req, ctx) {
  req.headers.set('x-bench', 'js');
}

export function onResponse(res, ctx) {
  res.headers.set('x-served-by', 'portico');
}
JS
    portico_js_pid=$(start_portico "$js_launcher" portico-js "$PORTICO_JS_PORT" "\
  - match: {path: /js/}
    rewrite: {strip-prefix: /js}
    upstream: origins
    filters: [{js: {script: filters/headers.js}}]
  - upstream: origins" 60)
    [ -n "$portico_js_pid" ] && pids+=("$portico_js_pid")
else
    say "bench: skipping Portico with a JavaScript filter: no full distribution in $repo/dist/target"
fi

# Other work on the machine skews every number; the load average says how much there was.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

declare -A result
targets=(origin nginx)
[ -n "$portico_pid" ] && targets+=(portico)
[ -n "$portico_js_pid" ] && targets+=(portico-full portico-js)

for path in "${PATHS[@]}"; do
    for target in "${targets[@]}"; do
        case $target in
            origin) port=${ORIGIN_PORTS[0]}; pid=${server_pid[origin-1]} ;;
            nginx) port=$NGINX_PORT; pid=${server_pid[nginx-proxy]} ;;
            portico) port=$PORTICO_PORT; pid=$portico_pid ;;
            portico-full) port=$PORTICO_JS_PORT; pid=$portico_js_pid ;;
            portico-js) port=$PORTICO_JS_PORT/js; pid=$portico_js_pid ;;
        esac
        url=http://127.0.0.1:$port$path
        warmup=$WARMUP
        case $target in portico*) warmup=$PORTICO_WARMUP ;; esac
        # Both routes of the full distribution warm up before either is measured: the JIT
        # compiler keeps improving the process during a first measured run, which would favour
        # whichever route is measured second.
        case $target in
            portico-full) say "bench: portico-js $path: warm-up $warmup"
                run_load wrk -t"$THREADS" -c"$CONNECTIONS" -d"$warmup" "http://127.0.0.1:$PORTICO_JS_PORT/js$path" ;;
            portico-js) warmup=$WARMUP ;;
        esac
        say "bench: $target $path: warm-up $warmup, then $DURATION"
        run_load wrk -t"$THREADS" -c"$CONNECTIONS" -d"$warmup" "$url"
        before=$(cpu_ticks "$pid")
        run_load wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url"
        after=$(cpu_ticks "$pid")
        read -r rps p50 p99 requests errors < <(parse_wrk <"$work/load.out")
        [ -n "$rps" ] || die "could not read wrk's output for $url: $(cat "$work/load.out")"
        cpu_us=$(cpu_us_per_request "$before" "$after" "$requests")
        result[$target$path]="$rps $p50 $p99 $cpu_us $errors"
    done
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "Loopback, $(nproc) cores shared by everything; wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency;"
echo "one worker (nginx) / one event loop (Portico) each. CPU µs/req: the server's own CPU time per"
echo "request (origin: one origin; nginx and Portico: the proxy process only)."
echo "Load average before: $load_before; after: $load_after."
versions
echo
echo "| path | target | req/s | p50 ms | p99 ms | CPU µs/req | errors |"
echo "|------|--------|------:|-------:|-------:|-----------:|-------:|"
for path in "${PATHS[@]}"; do
    for target in "${targets[@]}"; do
        read -r rps p50 p99 cpu_us errors <<<"${result[$target$path]}"
        label=$target
        [ "$target" = portico ] && label=Portico
        [ "$target" = portico-full ] && label="Portico full, no filter"
        [ "$target" = portico-js ] && label="Portico full + JS filter"
        printf '| %s | %s | %.0f | %.2f | %.2f | %s | %s |\n' "$path" "$label" "$rps" "$p50" "$p99" "$cpu_us" "$errors"
    done
done

if [ -n "$portico_pid" ]; then
    echo
    echo "| path | Portico/nginx req/s | Portico/nginx p99 | Portico/nginx CPU per request |"
    echo "|------|--------------------:|------------------:|------------------------------:|"
    for path in "${PATHS[@]}"; do
        read -r n_rps _ n_p99 n_cpu _ <<<"${result[nginx$path]}"
        read -r p_rps _ p_p99 p_cpu _ <<<"${result[portico$path]}"
        echo "| $path | $(ratio "$p_rps" "$n_rps") | $(ratio "$p_p99" "$n_p99") | $(ratio "$p_cpu" "$n_cpu") |"
        read -r _ _ _ _ p_errors <<<"${result[portico$path]}"
        portico_errors=$(( ${portico_errors:-0} + p_errors ))
    done
    if [ "$portico_errors" -gt 0 ]; then
        say "bench: Portico answered $portico_errors requests with errors; the end of its output:"
        tail -n 30 "$work/portico/out.log" | sed 's/^/    /' >&2
    fi
else
    echo
    echo "(Portico skipped: see above.)"
fi

if [ -n "$portico_js_pid" ]; then
    echo
    echo "| path | with/without JS filter req/s | with/without JS filter CPU per request |"
    echo "|------|----------------------------:|--------------------------------------:|"
    for path in "${PATHS[@]}"; do
        read -r p_rps _ _ p_cpu _ <<<"${result[portico-full$path]}"
        read -r j_rps _ _ j_cpu _ <<<"${result[portico-js$path]}"
        echo "| $path | $(ratio "$j_rps" "$p_rps") | $(ratio "$j_cpu" "$p_cpu") |"
    done
fi

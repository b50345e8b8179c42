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
THREADS=2
CONNECTIONS=64
ORIGIN_PORTS=(9101 9102)
NGINX_PORT=9200
PORTICO_PORT=9300
PORTICO_JS_PORT=9301
PATHS=(/small /16k)

bench_dir=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
repo=$(dirname "$bench_dir")

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }

install_missing_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v curl >/dev/null || missing+=(curl)
    [ ${#missing[@]} -eq 0 ] && return
    say "bench: installing ${missing[*]} with apt-get"
    [ "$(id -u)" -eq 0 ] || die "need root to install ${missing[*]}; install them and run again"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_missing_tools
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d /tmp/portico-bench.XXXXXX)
# nginx workers may run as another user: they must be able to read the bodies.
chmod 755 "$work"
pids=()
declare -A server_pid
wrk_pid=

cleanup() {
    local pid
    for pid in $wrk_pid "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in $wrk_pid "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

for port in "${ORIGIN_PORTS[@]}" "$NGINX_PORT" "$PORTICO_PORT" "$PORTICO_JS_PORT"; do
    if port_in_use "$port"; then
        die "127.0.0.1:$port is already in use; stop whatever listens there and run again"
    fi
done

# Waits until url answers 200, or until the process pid exits or timeout seconds pass.
wait_ready() {
    local url=$1 pid=$2 timeout=$3 waited=0
    until curl -fsS -o /dev/null "$url" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.2
        waited=$((waited + 1))
        [ "$waited" -lt $((timeout * 5)) ] || return 1
    done
}

# The common part of an nginx config: one worker, no access log, files under its own dir.
nginx_conf_head() {
    local dir=$1
    cat <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_timeout 65s;
    keepalive_requests 1000000;
EOF
}

start_nginx() {
    local name=$1 dir=$work/$1
    "$nginx_bin" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' &
    pids+=($!)
    server_pid[$name]=$!
}

# The bodies: 100 bytes and 16 KiB.
mkdir -p "$work/www"
head -c 100 /dev/zero | tr '\0' 'a' >"$work/www/small"
head -c 16384 /dev/zero | tr '\0' 'b' >"$work/www/16k"
chmod 644 "$work/www/"*
chmod 755 "$work/www"

for i in 0 1; do
    name=origin-$((i + 1))
    dir=$work/$name
    mkdir -p "$dir/tmp"
    {
        nginx_conf_head "$dir"
        cat <<EOF
    sendfile on;
    tcp_nopush on;
    open_file_cache max=16 inactive=600s;
    open_file_cache_valid 600s;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:${ORIGIN_PORTS[$i]} backlog=4096;
        root $work/www;
    }
}
EOF
    } >"$dir/nginx.conf"
    start_nginx "$name"
done

dir=$work/nginx-proxy
mkdir -p "$dir/tmp"
{
    nginx_conf_head "$dir"
    cat <<EOF
    upstream origins {
        server 127.0.0.1:${ORIGIN_PORTS[0]};
        server 127.0.0.1:${ORIGIN_PORTS[1]};
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=4096;
        location / {
            proxy_pass http://origins;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
EOF
} >"$dir/nginx.conf"
start_nginx nginx-proxy

wait_ready "http://127.0.0.1:${ORIGIN_PORTS[0]}/small" "${server_pid[origin-1]}" 10 || die "origin 1 did not start: $(cat "$work/origin-1/error.log")"
wait_ready "http://127.0.0.1:${ORIGIN_PORTS[1]}/small" "${server_pid[origin-2]}" 10 || die "origin 2 did not start: $(cat "$work/origin-2/error.log")"
wait_ready "http://127.0.0.1:$NGINX_PORT/small" "${server_pid[nginx-proxy]}" 10 || die "nginx did not start: $(cat "$work/nginx-proxy/error.log")"

# Starts a Portico from the distribution whose launcher is $1, as "$2" (its work directory and
# name in messages), listening on port $3, round robin over both origins, with the route's filter
# list $4; prints its pid, or nothing (and says why) when it does not answer within $5 seconds.
# (Called in a command substitution: the caller adds the pid to pids, for the cleanup.)
start_portico() {
    local launcher=$1 name=$2 port=$3 filters=$4 patience=$5
    local home dir pid
    home=$(dirname "$(dirname "$launcher")")
    dir=$work/$name
    mkdir -p "$dir"
    cat >"$dir/portico.yaml" <<EOF
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
  - upstream: origins
    filters: $filters
EOF
    "$launcher" --config "$dir/portico.yaml" >"$dir/out.log" 2>&1 &
    pid=$!
    if wait_ready "http://127.0.0.1:$port/small" "$pid" "$patience"; then
        echo "$pid"
        return
    fi
    if kill -0 "$pid" 2>/dev/null; then
        say "bench: skipping $name: it did not answer on 127.0.0.1:$port within ${patience}s. Its output:"
    else
        say "bench: skipping $name: it exited at startup. Its output:"
    fi
    sed 's/^/    /' "$dir/out.log" >&2
    kill "$pid" 2>/dev/null || true
}

# Portico, from the distribution that `mvn package` leaves unpacked in dist/target: the most
# recently built one, should target/ hold more than one version.
portico_pid=
launcher=
for candidate in "$repo"/dist/target/portico-[0-9]*/bin/portico; do
    if [ -x "$candidate" ] && { [ -z "$launcher" ] || [ "$candidate" -nt "$launcher" ]; }; then
        launcher=$candidate
    fi
done
if [ -z "$launcher" ]; then
    say "bench: skipping Portico: no distribution in $repo/dist/target (build it with 'mvn package -DskipTests')"
else
    portico_pid=$(start_portico "$launcher" portico "$PORTICO_PORT" "[]" 30)
    [ -n "$portico_pid" ] && pids+=("$portico_pid")
fi

# Portico with a JavaScript filter on its route, from the full distribution (the one carrying
# GraalJS): the same proxy, plus a script that sets a request and a response header.
portico_js_pid=
js_launcher=$(ls -t "$repo"/dist/target/portico-full-*/bin/portico 2>/dev/null | head -n 1 || true)
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
    portico_js_pid=$(start_portico "$js_launcher" portico-js "$PORTICO_JS_PORT" \
        "[{js: {script: filters/headers.js}}]" 60)
    [ -n "$portico_js_pid" ] && pids+=("$portico_js_pid")
else
    say "bench: skipping Portico with a JavaScript filter: no full distribution in $repo/dist/target"
fi

clk_tck=$(getconf CLK_TCK)
# Other work on the machine skews every number; the load average says how much there was.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# CPU time (user + system, in clock ticks, all threads) used so far by a process and its child
# processes: nginx's master and its worker, or Portico's JVM.
cpu_ticks() {
    local total=0 pid stat fields
    for pid in "$1" $(pgrep -P "$1" || true); do
        stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
        # The fields after the command name (in parentheses, may hold spaces); utime and stime
        # are the 14th and 15th of the whole line.
        read -r -a fields <<<"${stat##*) }"
        total=$((total + fields[11] + fields[12]))
    done
    echo "$total"
}

# Prints "rps p50_ms p99_ms requests errors" from wrk --latency output on stdin.
parse_wrk() {
    awk '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v + 0
        }
        /Latency Distribution/ { dist = 1 }
        dist && $1 == "50%" { p50 = ms($2) }
        dist && $1 == "99%" { p99 = ms($2) }
        / requests in / { requests = $1 }
        /^Requests\/sec:/ { rps = $2 }
        /Socket errors:/ {
            gsub(",", "")
            errors += $4 + $6 + $8 + $10
        }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        END { printf "%s %s %s %s %d\n", rps, p50, p99, requests, errors }
    '
}

# Runs wrk with the given options into $work/wrk.out. In the background and waited for, so that
# a signal to this script is handled at once rather than after the run.
run_wrk() {
    wrk -t"$THREADS" -c"$CONNECTIONS" "$@" >"$work/wrk.out" &
    wrk_pid=$!
    wait "$wrk_pid" || die "wrk failed: $(cat "$work/wrk.out")"
    wrk_pid=
}

declare -A result
targets=(origin nginx)
[ -n "$portico_pid" ] && targets+=(portico)
[ -n "$portico_js_pid" ] && targets+=(portico-js)

for path in "${PATHS[@]}"; do
    for target in "${targets[@]}"; do
        case $target in
            origin) port=${ORIGIN_PORTS[0]}; pid=${server_pid[origin-1]} ;;
            nginx) port=$NGINX_PORT; pid=${server_pid[nginx-proxy]} ;;
            portico) port=$PORTICO_PORT; pid=$portico_pid ;;
            portico-js) port=$PORTICO_JS_PORT; pid=$portico_js_pid ;;
        esac
        url=http://127.0.0.1:$port$path
        warmup=$WARMUP
        case $target in portico*) warmup=$PORTICO_WARMUP ;; esac
        say "bench: $target $path: warm-up $warmup, then $DURATION"
        run_wrk -d"$warmup" "$url"
        before=$(cpu_ticks "$pid")
        run_wrk -d"$DURATION" --latency "$url"
        after=$(cpu_ticks "$pid")
        read -r rps p50 p99 requests errors < <(parse_wrk <"$work/wrk.out")
        [ -n "$rps" ] || die "could not read wrk's output for $url: $(cat "$work/wrk.out")"
        cpu_us=$(awk -v t=$((after - before)) -v hz="$clk_tck" -v n="$requests" \
            'BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }')
        result[$target$path]="$rps $p50 $p99 $cpu_us $errors"
    done
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo
echo "Loopback, $(nproc) cores shared by everything; wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency;"
echo "one worker (nginx) / one event loop (Portico) each. CPU µs/req: the server's own CPU time per"
echo "request (origin: one origin; nginx and Portico: the proxy process only)."
echo "Load average before: $load_before; after: $load_after."
# `wrk -v` exits with 1 after printing its version.
nginx_version=$("$nginx_bin" -v 2>&1 | sed -n 's|.*nginx/||p') || true
wrk_version=$(wrk -v 2>&1 | sed -n '1s/^wrk \([^ ]*\).*$/\1/p') || true
java_version=$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | sed -n '1s/^.* version "\([^"]*\)".*$/\1/p') || true
echo "nginx $nginx_version, wrk $wrk_version, Java ${java_version:-?}; PORTICO_JAVA_OPTS: ${PORTICO_JAVA_OPTS:-none}."
echo
echo "| path | target | req/s | p50 ms | p99 ms | CPU µs/req | errors |"
echo "|------|--------|------:|-------:|-------:|-----------:|-------:|"
for path in "${PATHS[@]}"; do
    for target in "${targets[@]}"; do
        read -r rps p50 p99 cpu_us errors <<<"${result[$target$path]}"
        label=$target
        [ "$target" = portico ] && label=Portico
        [ "$target" = portico-js ] && label="Portico + JS filter"
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
    echo "| path | (Portico + JS filter)/Portico req/s | (Portico + JS filter)/Portico CPU per request |"
    echo "|------|-----------------------------------:|---------------------------------------------:|"
    for path in "${PATHS[@]}"; do
        read -r p_rps _ _ p_cpu _ <<<"${result[portico$path]}"
        read -r j_rps _ _ j_cpu _ <<<"${result[portico-js$path]}"
        echo "| $path | $(ratio "$j_rps" "$p_rps") | $(ratio "$j_cpu" "$p_cpu") |"
    done
fi

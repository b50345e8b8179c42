#!/usr/bin/env bash
# Loopback TLS and HTTP/2 benchmark: nginx and Portico terminating TLS in front of the same two
# origins, measured on new TLS connections (handshakes per second), HTTPS keep-alive requests and
# HTTP/2 requests with 100 concurrent streams. See bench/README.md and docs/BENCHMARKS.md.
#
#   bench/edge.sh                   # from any directory
#   DURATION=30s bench/edge.sh      # longer measured runs (default 15s)
#   ONLY=h2 bench/edge.sh           # only the HTTP/2 tests
#   ROUNDS=3 bench/edge.sh          # every test three times over; ratios as medians of the rounds
#
# Every server binds 127.0.0.1 and the load generators only target 127.0.0.1.
set -euo pipefail

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-5s}
PORTICO_WARMUP=${PORTICO_WARMUP:-30s}
NGINX_PORT=9210
PORTICO_PORT=9310
H2_CLIENTS=${H2_CLIENTS:-10}
H2_STREAMS=${H2_STREAMS:-100}
# Only the tests whose "name path" starts with this, e.g. ONLY=h2 or ONLY="keep-alive /small".
ONLY=${ONLY:-}
ROUNDS=${ROUNDS:-1}
ROUND_WARMUP=${ROUND_WARMUP:-5s}
# Idle connections each proxy keeps to the origins (nginx: in all; Portico: per origin, half
# each). HTTP/2 puts up to H2_CLIENTS × H2_STREAMS requests in flight at once: with fewer, both
# proxies would spend their time opening and closing origin connections.
UPSTREAM_IDLE=${UPSTREAM_IDLE:-1024}

# shellcheck source=lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

install_missing_tools wrk=wrk nginx=nginx curl=curl h2load=nghttp2-client openssl=openssl
require_free_ports "${ORIGIN_PORTS[@]}" "$NGINX_PORT" "$PORTICO_PORT"
start_origins

# One certificate for both proxies: ECDSA P-256, what a modern site serves.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
chmod 644 "$work/key.pem" "$work/cert.pem"

dir=$work/nginx-tls
mkdir -p "$dir/tmp"
{
    nginx_conf_head "$dir"
    nginx_proxy_conf "127.0.0.1:$NGINX_PORT ssl http2 backlog=4096" \
        "ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem; ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache off; ssl_session_tickets off; http2_max_concurrent_streams $H2_STREAMS;" \
        "$UPSTREAM_IDLE"
} >"$dir/nginx.conf"
start_nginx nginx-tls
wait_ready "https://127.0.0.1:$NGINX_PORT/small" "${server_pid[nginx-tls]}" 10 || die "nginx did not start: $(cat "$dir/error.log")"

portico_pid=
launcher=$(find_launcher "portico-[0-9]*")
if [ -z "$launcher" ]; then
    say "bench: skipping Portico: no distribution in $repo/dist/target (build it with 'mvn package -DskipTests')"
else
    home=$(dirname "$(dirname "$launcher")")
    portico_pid=$(start_portico_with "$launcher" portico-tls "https://127.0.0.1:$PORTICO_PORT/small" 30 <<YAML
listen:
  - address: 127.0.0.1:$PORTICO_PORT
    tls:
      certs: [{cert: $work/cert.pem, key: $work/key.pem}]
server:
  event-loops: 1
  http2: {max-concurrent-streams: $H2_STREAMS}
access-log: {enabled: false}
plugins: {dir: $home/plugins}
upstreams:
  origins:
    balancer: round-robin
    endpoints: [127.0.0.1:${ORIGIN_PORTS[0]}, 127.0.0.1:${ORIGIN_PORTS[1]}]
    max-idle-per-endpoint: $((UPSTREAM_IDLE / 2))
routes:
  - upstream: origins
YAML
    )
    [ -n "$portico_pid" ] && pids+=("$portico_pid")
fi

# Prints "rps mean_ms requests errors" from h2load output on stdin.
parse_h2load() {
    awk '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v + 0
        }
        /^finished in/ { rps = $4 }
        /^requests:/ { gsub(",", ""); requests = $8; errors = $10 + $12 + $14 }
        /^status codes:/ { gsub(",", ""); errors += $7 + $9 }
        /^time for request:/ { mean = ms($6) }
        END { printf "%s %s %s %d\n", rps, mean, requests, errors }
    '
}

# The tests: name, path, and how the load is generated (wrk or h2load).
tests=()
for spec in "handshakes /small" "keep-alive /small" "keep-alive /16k" "h2 /small" "h2 /16k"; do
    [[ $spec == "$ONLY"* ]] && tests+=("$spec")
done
[ ${#tests[@]} -gt 0 ] || die "ONLY=$ONLY matches no test"

# Runs test $1 on path $2 against port $3 for $4; the output lands in $work/load.out.
load() {
    local test=$1 path=$2 port=$3 duration=$4 url
    url=https://127.0.0.1:$port$path
    case $test in
        # Connection: close makes every request a new connection and a full TLS handshake
        # (wrk resumes no sessions; nginx keeps no session cache or tickets).
        handshakes) run_load wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency -H 'Connection: close' "$url" ;;
        keep-alive) run_load wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency "$url" ;;
        h2) run_load h2load -t"$THREADS" -c"$H2_CLIENTS" -m"$H2_STREAMS" -D"${duration%s}" "$url"
            cp "$work/load.out" "$work/h2load-$port-${path#/}.out" ;;
    esac
}

declare -A result
targets=(nginx)
[ -n "$portico_pid" ] && targets+=(portico)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

for round in $(seq 1 "$ROUNDS"); do
    for spec in "${tests[@]}"; do
        read -r test path <<<"$spec"
        for target in "${targets[@]}"; do
            case $target in
                nginx) port=$NGINX_PORT; pid=${server_pid[nginx-tls]}; warmup=$WARMUP ;;
                portico) port=$PORTICO_PORT; pid=$portico_pid; warmup=$PORTICO_WARMUP ;;
            esac
            # After the first round both servers are warm (Portico's hot paths compiled).
            [ "$round" -gt 1 ] && warmup=$ROUND_WARMUP
            say "bench: round $round/$ROUNDS, $target $test $path: warm-up $warmup, then $DURATION"
            load "$test" "$path" "$port" "$warmup"
            before=$(cpu_ticks "$pid")
            load "$test" "$path" "$port" "$DURATION"
            after=$(cpu_ticks "$pid")
            if [ "$test" = h2 ]; then
                read -r rps latency requests errors < <(parse_h2load <"$work/load.out")
            else
                read -r rps _ latency requests errors < <(parse_wrk <"$work/load.out")
            fi
            [ -n "$rps" ] || die "could not read the output for $target $test $path: $(cat "$work/load.out")"
            result[$target $spec $round]="$rps $latency $(cpu_us_per_request "$before" "$after" "$requests") $errors"
        done
    done
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "Loopback, $(nproc) cores shared by everything; one worker (nginx) / one event loop (Portico);"
echo "TLS 1.3 with an ECDSA P-256 certificate. handshakes: wrk -t$THREADS -c$CONNECTIONS with Connection: close"
echo "(a new connection per request); keep-alive: wrk -t$THREADS -c$CONNECTIONS; h2: h2load -t$THREADS -c$H2_CLIENTS -m$H2_STREAMS."
echo "Each run $DURATION after a warm-up ($ROUNDS round(s); later rounds warm up for $ROUND_WARMUP). Latency: p99 for wrk, mean for h2load."
echo "Load average before: $load_before; after: $load_after."
versions
echo "h2load $(h2load --version 2>&1 | sed -n '1s/^h2load nghttp2\/\([^ ]*\).*$/\1/p')."
echo
echo "| test | path | target | round | req/s | latency ms | CPU µs/req | errors |"
echo "|------|------|--------|------:|------:|-----------:|-----------:|-------:|"
for spec in "${tests[@]}"; do
    read -r test path <<<"$spec"
    for round in $(seq 1 "$ROUNDS"); do
        for target in "${targets[@]}"; do
            read -r rps latency cpu_us errors <<<"${result[$target $spec $round]}"
            label=$target
            [ "$target" = portico ] && label=Portico
            printf '| %s | %s | %s | %s | %.0f | %.2f | %s | %s |\n' "$test" "$path" "$label" "$round" "$rps" "$latency" "$cpu_us" "$errors"
        done
    done
done

# The median of a list of numbers (for an even count, the mean of the middle two).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

if [ -n "$portico_pid" ]; then
    echo
    echo "| test | path | Portico/nginx req/s | Portico/nginx CPU per request | req/s ratio by round |"
    echo "|------|------|--------------------:|------------------------------:|---------------------:|"
    for spec in "${tests[@]}"; do
        read -r test path <<<"$spec"
        rps_ratios=() cpu_ratios=()
        for round in $(seq 1 "$ROUNDS"); do
            read -r n_rps _ n_cpu _ <<<"${result[nginx $spec $round]}"
            read -r p_rps _ p_cpu _ <<<"${result[portico $spec $round]}"
            rps_ratios+=("$(ratio "$p_rps" "$n_rps")")
            cpu_ratios+=("$(ratio "$p_cpu" "$n_cpu")")
        done
        echo "| $test | $path | $(median "${rps_ratios[@]}") | $(median "${cpu_ratios[@]}") | ${rps_ratios[*]} |"
    done
fi

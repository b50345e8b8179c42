# Shared plumbing of the loopback benchmarks (run.sh, edge.sh): sourced, not run.
#
# Sets up a temporary work directory removed on exit (with every process listed in `pids`),
# nginx origins serving /small (100 bytes) and /16k (16 KiB), and the helpers to start servers,
# wait for them, read their CPU time and parse wrk's output.

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
ORIGIN_PORTS=(9101 9102)

bench_dir=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
repo=$(dirname "$bench_dir")

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }

# Installs the named tools (command=package pairs) that are missing, with apt-get as root.
install_missing_tools() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%=*}" >/dev/null || [ -x "/usr/sbin/${pair%%=*}" ] || missing+=("${pair#*=}")
    done
    [ ${#missing[@]} -eq 0 ] && return
    say "bench: installing ${missing[*]} with apt-get"
    [ "$(id -u)" -eq 0 ] || die "need root to install ${missing[*]}; install them and run again"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

work=$(mktemp -d /tmp/portico-bench.XXXXXX)
# nginx workers may run as another user: they must be able to read the bodies.
chmod 755 "$work"
pids=()
declare -A server_pid
load_pid=

cleanup() {
    local pid
    for pid in $load_pid "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in $load_pid "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Refuses to start when any of the given ports is taken.
require_free_ports() {
    local port
    for port in "$@"; do
        if port_in_use "$port"; then
            die "127.0.0.1:$port is already in use; stop whatever listens there and run again"
        fi
    done
}

# Waits until url answers 200 (certificates not checked), or until the process pid exits or
# timeout seconds pass.
wait_ready() {
    local url=$1 pid=$2 timeout=$3 waited=0
    until curl -kfsS -o /dev/null "$url" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.2
        waited=$((waited + 1))
        [ "$waited" -lt $((timeout * 5)) ] || return 1
    done
}

nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

# The common part of an nginx config: one worker, no access log, files under its own dir.
nginx_conf_head() {
    local dir=$1
    cat <<CONF
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
CONF
}

# Starts the nginx whose config is $work/$1/nginx.conf, known afterwards as server_pid[$1].
start_nginx() {
    local name=$1 dir=$work/$1
    "$nginx_bin" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' &
    pids+=($!)
    server_pid[$name]=$!
}

# The nginx server block of a proxy to both origins, listening as "$1" (a listen directive's
# arguments), with TLS settings "$2" (empty for plain HTTP), keeping up to "${3:-64}" idle
# connections to the origins.
nginx_proxy_conf() {
    local listen=$1 tls=$2 keepalive=${3:-64}
    cat <<CONF
    upstream origins {
        server 127.0.0.1:${ORIGIN_PORTS[0]};
        server 127.0.0.1:${ORIGIN_PORTS[1]};
        keepalive $keepalive;
    }
    server {
        listen $listen;
        $tls
        location / {
            proxy_pass http://origins;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
CONF
}

# Writes the bodies and starts the two origins (nginx, one worker each, static files).
start_origins() {
    local i name dir
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
            cat <<CONF
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
CONF
        } >"$dir/nginx.conf"
        start_nginx "$name"
    done
    for i in 0 1; do
        wait_ready "http://127.0.0.1:${ORIGIN_PORTS[$i]}/small" "${server_pid[origin-$((i + 1))]}" 10 ||
            die "origin $((i + 1)) did not start: $(cat "$work/origin-$((i + 1))/error.log")"
    done
}

# The launcher of the most recently built distribution matching the glob $1 under dist/target.
find_launcher() {
    local candidate launcher=
    for candidate in "$repo"/dist/target/$1/bin/portico; do
        if [ -x "$candidate" ] && { [ -z "$launcher" ] || [ "$candidate" -nt "$launcher" ]; }; then
            launcher=$candidate
        fi
    done
    echo "$launcher"
}

# Starts Portico with launcher $1 as "$2" (its work directory and name in messages), with the
# config on stdin, and waits for url $3; prints its pid, or nothing (and says why) when it does
# not answer within $4 seconds. (Called in a command substitution: the caller adds the pid to
# pids, for the cleanup.)
start_portico_with() {
    local launcher=$1 name=$2 url=$3 patience=$4 dir=$work/$2 pid
    mkdir -p "$dir"
    cat >"$dir/portico.yaml"
    "$launcher" --config "$dir/portico.yaml" >"$dir/out.log" 2>&1 &
    pid=$!
    if wait_ready "$url" "$pid" "$patience"; then
        echo "$pid"
        return
    fi
    if kill -0 "$pid" 2>/dev/null; then
        say "bench: skipping $name: it did not answer $url within ${patience}s. Its output:"
    else
        say "bench: skipping $name: it exited at startup. Its output:"
    fi
    sed 's/^/    /' "$dir/out.log" >&2
    kill "$pid" 2>/dev/null || true
}

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

# CPU µs per request from the ticks before ($1) and after ($2) a run of $3 requests.
cpu_us_per_request() {
    awk -v t=$(($2 - $1)) -v hz="$(getconf CLK_TCK)" -v n="$3" \
        'BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }'
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

# Runs a load generator (the command and its arguments) into $work/load.out. In the background
# and waited for, so that a signal to this script is handled at once rather than after the run.
run_load() {
    "$@" >"$work/load.out" 2>&1 &
    load_pid=$!
    wait "$load_pid" || die "$1 failed: $(cat "$work/load.out")"
    load_pid=
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# The versions line printed under each result table.
versions() {
    local nginx_version wrk_version java_version
    nginx_version=$("$nginx_bin" -v 2>&1 | sed -n 's|.*nginx/||p') || true
    # `wrk -v` exits with 1 after printing its version.
    wrk_version=$(wrk -v 2>&1 | sed -n '1s/^wrk \([^ ]*\).*$/\1/p') || true
    java_version=$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | sed -n '1s/^.* version "\([^"]*\)".*$/\1/p') || true
    echo "nginx $nginx_version, wrk $wrk_version, Java ${java_version:-?}; PORTICO_JAVA_OPTS: ${PORTICO_JAVA_OPTS:-none}."
}

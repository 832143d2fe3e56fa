#!/usr/bin/env bash
# The responder's speed, as users can measure it: builds the jar, starts the service with the JVM flags of the
# container image, and loads it with bench/LoadGenerator.java beside two references on the same machine, rounds
# interleaved: the C reference server (bench/banner_server.c, the tutorial's blocking accept/write/close loop; where
# gcc is installed) and nginx's stream "return" (where nginx is installed: apt-get install nginx-light
# libnginx-mod-stream). Prints rates, latency percentiles and CPU time per connection of each server, the ratios of
# the responder to the C server, and the service's resident memory.
#
# usage: bench/run.sh [--conc 8,64] [--secs 10] [--transport auto|native|nio] [--no-build]
# Runs on $JAVA_HOME/bin/java if JAVA_HOME is set, else on the java on the PATH; either must be Java 25 or later.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
concs="8,64"; secs=10; build=1; transport=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --conc) concs="$2"; shift 2;;
    --secs) secs="$2"; shift 2;;
    --transport) transport="$2"; shift 2;;
    --no-build) build=0; shift;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2;;
  esac
done
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${feature:-0}" -ge 25 ] 2> /dev/null || { echo "run.sh: $java is Java ${feature:-?}; set JAVA_HOME to a JDK 25" >&2; exit 1; }
tcp_port=19900; http_port=18900; nginx_port=19901; c_port=19902
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

[ "$build" = 1 ] && mvn -q -B -DskipTests package
jar="$(ls target/tcp-responder-*.jar | grep -v plain | head -n 1)"
# The image's JVM flags, read from pom.xml (Jib's jvmFlags), with the memory of a 512 MiB container; without the AOT
# cache and Spring AOT, which only the aot profile's build makes (bench/startup.py measures that launch).
mapfile -t flags < <(sed -n 's:.*<jvmFlag>\(.*\)</jvmFlag>.*:\1:p' pom.xml | grep -v -e '^-XX:AOTCache=' -e '^-Dspring.aot.enabled=')
[ "${#flags[@]}" -gt 0 ] || { echo "run.sh: no jvmFlag found in pom.xml" >&2; exit 1; }
flags=(-XX:MaxRAM=512m "${flags[@]}")
"$java" "${flags[@]}" -jar "$jar" --responder.port=$tcp_port --server.port=$http_port --responder.transport="$transport" \
  > "$work/service.log" 2>&1 &
service=$!; pids+=("$service")
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$http_port/actuator/health/readiness" > /dev/null && break
  kill -0 "$service" 2> /dev/null || { cat "$work/service.log" >&2; exit 1; }
  sleep 0.1
done
declare -A pid_of=([responder]="$service")
targets="responder:$tcp_port"
if command -v gcc > /dev/null; then
  gcc -O2 -o "$work/banner_server" "$here/banner_server.c"
  "$work/banner_server" $c_port 4096 1 > /dev/null 2>&1 &
  pids+=("$!"); pid_of[c]="$!"
  targets="$targets c:$c_port"
fi
if command -v nginx > /dev/null && [ -f /usr/lib/nginx/modules/ngx_stream_module.so ]; then
  sed -e "s/PORT/$nginx_port/" "$here/nginx-stream-return.conf" > "$work/nginx.conf"
  (cd "$work" && exec nginx -p "$work" -c "$work/nginx.conf" > /dev/null 2>&1) &
  pids+=("$!"); pid_of[nginx]="$!"
  targets="$targets nginx:$nginx_port"
fi
sleep 0.5
# user+system clock ticks of a process and its children (nginx's workers)
cpu_ticks() {
  local total=0 p
  for p in "$1" $(ps -o pid= --ppid "$1" 2> /dev/null); do
    [ -r "/proc/$p/stat" ] && total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
  done
  echo "$total"
}
# A short warm-up, so that the JIT has compiled the accept loop before it is measured.
"$java" "$here/LoadGenerator.java" --port $tcp_port --conc 8 --secs 3 > /dev/null
echo "# $(nproc) cores, $(uname -sr), $("$java" -version 2>&1 | head -n 1), $(grep -o '[a-z]* transport)' "$work/service.log" | head -n 1)"
IFS=',' read -ra clist <<< "$concs"
hz=$(getconf CLK_TCK)
for c in "${clist[@]}"; do
  for target in $targets; do
    name="${target%%:*}"
    t0=$(cpu_ticks "${pid_of[$name]}")
    line="$("$java" "$here/LoadGenerator.java" --port "${target#*:}" --conc "$c" --secs "$secs")"
    t1=$(cpu_ticks "${pid_of[$name]}")
    conns=$(sed -n 's/^conns=\([0-9]*\).*/\1/p' <<< "$line")
    cpu=$(awk -v t=$(( t1 - t0 )) -v hz="$hz" -v n="$conns" 'BEGIN { printf "%.1f", (n > 0) ? t / hz * 1e6 / n : 0 }')
    printf '%-9s %s cpu_per_conn=%sus\n' "$name" "$line" "$cpu" | tee -a "$work/results"
  done
done
# The responder against the C server: rate, p99 and CPU per connection, as ratios.
awk '
  { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[$1, kv[1]] = kv[2] }
    conc = v[$1, "conc"]; rate[$1, conc] = v[$1, "rate"] + 0; p99[$1, conc] = v[$1, "p99"] + 0
    cpu[$1, conc] = v[$1, "cpu_per_conn"] + 0; seen[conc] = 1; names[$1] = 1 }
  END { for (c in seen) for (ref in names) if (ref != "responder" && rate[ref, c] > 0 && cpu[ref, c] > 0)
          printf "ratio conc=%s responder/%s: rate=%.2f p99=%.2f cpu_per_conn=%.2f\n", c, ref,
            rate["responder", c] / rate[ref, c], p99["responder", c] / p99[ref, c], cpu["responder", c] / cpu[ref, c] }
' "$work/results" | sort
echo "responder resident memory: $(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' /proc/$service/status)," \
  "peak $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' /proc/$service/status)"

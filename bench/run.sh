#!/usr/bin/env bash
# The responder's speed, as users can measure it: builds the jar, starts the service with the JVM flags of the
# container image, loads it with bench/LoadGenerator.java, does the same to nginx's stream "return" where nginx
# is installed (apt-get install nginx-light libnginx-mod-stream), and prints rates, latency percentiles and the
# service's resident memory.
#
# usage: bench/run.sh [--conc 8,64] [--secs 10] [--no-build]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
concs="8,64"; secs=10; build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --conc) concs="$2"; shift 2;;
    --secs) secs="$2"; shift 2;;
    --no-build) build=0; shift;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2;;
  esac
done
tcp_port=19900; http_port=18900; nginx_port=19901
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

[ "$build" = 1 ] && mvn -q -B -DskipTests package
jar="$(ls target/tcp-responder-*.jar | grep -v plain | head -n 1)"
# The image's JVM flags (pom.xml, Jib), with the memory of a 512 MiB container.
flags=(-XX:MaxRAM=512m -XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=5 -XX:+UseSerialGC -Xss512k
       -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError)
java "${flags[@]}" -jar "$jar" --responder.port=$tcp_port --server.port=$http_port > "$work/service.log" 2>&1 &
service=$!; pids+=("$service")
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$http_port/actuator/health/readiness" > /dev/null && break
  kill -0 "$service" 2> /dev/null || { cat "$work/service.log" >&2; exit 1; }
  sleep 0.1
done
targets="responder:$tcp_port"
if command -v nginx > /dev/null && [ -f /usr/lib/nginx/modules/ngx_stream_module.so ]; then
  sed -e "s/PORT/$nginx_port/" "$here/nginx-stream-return.conf" > "$work/nginx.conf"
  (cd "$work" && exec nginx -p "$work" -c "$work/nginx.conf" > /dev/null 2>&1) &
  pids+=("$!")
  targets="$targets nginx:$nginx_port"
  sleep 0.5
fi
# A short warm-up, so that the JIT has compiled the accept loop before it is measured.
java "$here/LoadGenerator.java" --port $tcp_port --conc 8 --secs 3 > /dev/null
echo "# $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -n 1)"
IFS=',' read -ra clist <<< "$concs"
for c in "${clist[@]}"; do
  for target in $targets; do
    printf '%-9s %s\n' "${target%%:*}" "$(java "$here/LoadGenerator.java" --port "${target#*:}" --conc "$c" --secs "$secs")"
  done
done
echo "responder resident memory: $(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' /proc/$service/status)," \
  "peak $(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' /proc/$service/status)"

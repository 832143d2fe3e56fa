#!/usr/bin/env python3
"""Start-up of the responder: from process start to LISTENING (the TCP port serves the line) and to readiness UP.

usage: bench/startup.py --compare [--runs N] [--timeout S]
       bench/startup.py --memory [--secs S]
       bench/startup.py [--runs N] [--tcp-port P] [--http-port P] -- COMMAND...

--compare times two launches, interleaved, on the same JDK 25 (JAVA_HOME, else one under /usr/lib/jvm):
  plain       java -jar target/tcp-responder-*.jar
  production  the container image's own command (its entrypoint: JVM flags, Spring AOT, AOT cache), run on the
              image's /app tree as `mvn -Paot package` leaves it in target/aot/, with -XX:MaxRAM=512m for the
              chart's memory limit
Before timing, one production launch logs class loading and must show the service's classes coming from the AOT
cache. Prints each run, the medians, and last `ratio listening=X ready=Y`: the production launch's times divided by
the plain launch's readiness.

--memory starts the production launch, loads it with 64 clients in flight (bench/LoadGenerator.java) for S seconds
while Prometheus' scrape is fetched every second, and prints its resident memory, peak and current.

With a COMMAND, times that command alone; it must start the service on the given ports (pass them through, e.g.
--responder.port=P).
"""
import argparse, glob, json, os, re, socket, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AOT = os.path.join(ROOT, "target", "aot")
CONTAINER_MEMORY = "-XX:MaxRAM=512m"  # helm/tcp-responder/values.yaml: resources.limits.memory


def serves_line(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    return data.endswith(b"\n")
                data += chunk
    except OSError:
        return False


def ready(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/health/readiness", timeout=0.5) as r:
            return r.status == 200
    except Exception:
        return False


def free_port():
    with socket.socket(socket.AF_INET6) as s:
        s.bind(("::", 0))
        return s.getsockname()[1]


def launch(command, tcp_port, http_port, timeout, cwd=None):
    """Starts the command, returns (seconds to LISTENING, seconds to readiness UP), stops it."""
    start = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t_listen = t_ready = None
    try:
        while time.monotonic() - start < timeout and (t_listen is None or t_ready is None):
            if process.poll() is not None:
                break
            if t_listen is None and serves_line(tcp_port):
                t_listen = time.monotonic() - start
            if t_ready is None and ready(http_port):
                t_ready = time.monotonic() - start
            time.sleep(0.005)
    finally:
        process.terminate()
        process.wait(60)
    if t_listen is None or t_ready is None:
        sys.exit(f"{' '.join(command[:3])}...: the service did not come up within {timeout}s")
    return t_listen, t_ready


def java_feature(java):
    out = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    match = re.search(r"java\.specification\.version = (\d+)", out)
    return int(match.group(1)) if match else 0


def jdk25():
    homes = ([os.environ["JAVA_HOME"]] if os.environ.get("JAVA_HOME") else []) + sorted(glob.glob("/usr/lib/jvm/*"))
    for home in homes:
        java = os.path.join(home, "bin", "java")
        if os.access(java, os.X_OK) and java_feature(java) >= 25:
            return java
    sys.exit("no JDK 25 found: set JAVA_HOME")


def production_command(java):
    """The image's entrypoint, its /app paths mapped onto target/aot/root/app."""
    config_file = os.path.join(AOT, "image", "config.json")
    if not os.path.exists(config_file):
        sys.exit(f"{config_file} is missing: build the image's tree first, mvn -B -Paot -DskipTests package")
    config = json.load(open(config_file))["config"]
    local = lambda text: re.sub(r"(^|[=:])/app/", lambda m: m.group(1) + os.path.join(AOT, "root", "app") + "/",
                                text)
    command = [java, CONTAINER_MEMORY]
    for arg in config["Entrypoint"][1:]:
        if arg.startswith("@"):
            arg = open(local(arg[1:])).read().strip()
        command.append(local(arg))
    return command, local(config["WorkingDir"] + "/")


def check_cache_used(command, cwd, tcp_port, http_port, timeout):
    """One launch that logs class loading: the service's own classes must come from the AOT cache."""
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "class-load.log")
        launch(command[:1] + [f"-Xlog:aot=info,class+load=info:file={log}"] + command[1:] + ports(tcp_port, http_port),
               tcp_port, http_port, timeout, cwd)
        lines = open(log).read().splitlines()
    cache = next((arg.split("=", 1)[1] for arg in command if arg.startswith("-XX:AOTCache=")), None)
    from_cache = [l for l in lines if "source: shared objects file" in l]
    loaded = [l for l in lines if "source: " in l]
    own = [l for l in loaded if " io.tcpresponder." in l]
    own_from_cache = [l for l in own if "source: shared objects file" in l]
    problems = [l for l in lines if "[warning][aot" in l or "[error][aot" in l]
    print(f"AOT cache {cache}: {os.path.getsize(cache) / 2**20:.1f} MiB; "
          f"{len(from_cache)} of {len(loaded)} classes loaded from it, "
          f"{len(own_from_cache)} of the service's own {len(own)}")
    if not own_from_cache or problems:
        sys.exit("the AOT cache was not used:\n" + "\n".join(problems[:10]))


def ports(tcp_port, http_port):
    return [f"--responder.port={tcp_port}", f"--server.port={http_port}"]


def compare(args):
    java = jdk25()
    jars = [j for j in glob.glob(os.path.join(ROOT, "target", "tcp-responder-*.jar"))]
    if not jars:
        sys.exit("target/tcp-responder-*.jar is missing: mvn -B -Paot -DskipTests package")
    production, cwd = production_command(java)
    launches = {"plain": ([java, "-jar", jars[0]], None), "production": (production, cwd)}
    print(f"# {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, {os.uname().sysname} "
          f"{os.uname().release}, {subprocess.run([java, '-version'], capture_output=True, text=True).stderr.splitlines()[1]}")
    for name, (command, _) in launches.items():
        print(f"# {name}: {' '.join(a if len(a) < 120 else a[:60] + '...' for a in command)}")
    check_cache_used(production, cwd, free_port(), free_port(), args.timeout)
    times = {name: ([], []) for name in launches}
    for run in range(args.runs):
        order = list(launches) if run % 2 == 0 else list(reversed(launches))
        for name in order:
            command, cwd = launches[name]
            tcp_port, http_port = free_port(), free_port()
            t_listen, t_ready = launch(command + ports(tcp_port, http_port), tcp_port, http_port, args.timeout, cwd)
            times[name][0].append(t_listen)
            times[name][1].append(t_ready)
            print(f"run {run + 1} {name:<10}: listening={t_listen:.3f}s ready={t_ready:.3f}s", flush=True)
    medians = {name: (statistics.median(l), statistics.median(r)) for name, (l, r) in times.items()}
    for name, (l, r) in medians.items():
        print(f"median {name:<10}: listening={l:.3f}s ready={r:.3f}s")
    plain_ready = medians["plain"][1]
    l, r = medians["production"]
    print(f"ratio listening={l / plain_ready:.2f} ready={r / plain_ready:.2f}")


def memory(args):
    java = jdk25()
    command, cwd = production_command(java)
    tcp_port, http_port = free_port(), free_port()
    process = subprocess.Popen(command + ports(tcp_port, http_port), cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + args.timeout
        while not (serves_line(tcp_port) and ready(http_port)):
            if time.monotonic() > deadline or process.poll() is not None:
                sys.exit("the production launch did not come up")
            time.sleep(0.1)
        status = lambda: dict(line.split(":", 1) for line in open(f"/proc/{process.pid}/status"))
        print(f"after start: resident {int(status()['VmRSS'].split()[0]) / 1024:.0f} MiB")
        load = subprocess.Popen([java, os.path.join(ROOT, "bench", "LoadGenerator.java"), "--port", str(tcp_port),
                                 "--conc", "64", "--secs", str(args.secs)], stdout=subprocess.PIPE, text=True)
        while load.poll() is None:
            urllib.request.urlopen(f"http://127.0.0.1:{http_port}/actuator/prometheus", timeout=30).read()
            time.sleep(1)
        print(f"load: {load.stdout.read().strip()}")
        kib = lambda key: int(status()[key].split()[0])
        print(f"under 64 clients for {args.secs:g} s: resident peak {kib('VmHWM') / 1024:.0f} MiB, "
              f"now {kib('VmRSS') / 1024:.0f} MiB")
    finally:
        process.terminate()
        process.wait(60)


def single(args):
    command = [c for c in args.command if c != "--"]
    if not command:
        sys.exit("give --compare or a command after --")
    listening, readiness = [], []
    for run in range(args.runs):
        t_listen, t_ready = launch(command, args.tcp_port, args.http_port, args.timeout)
        listening.append(t_listen)
        readiness.append(t_ready)
        print(f"run {run + 1}: listening={t_listen:.3f}s ready={t_ready:.3f}s")
    print(f"median: listening={statistics.median(listening):.3f}s ready={statistics.median(readiness):.3f}s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--memory", action="store_true")
    parser.add_argument("--secs", type=float, default=20)
    parser.add_argument("--runs", type=int, default=5)
    # a single COMMAND's ports; --compare picks free ones for each launch
    parser.add_argument("--tcp-port", type=int, default=19400)
    parser.add_argument("--http-port", type=int, default=18400)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    compare(args) if args.compare else memory(args) if args.memory else single(args)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The bind oracle where the service runs: freeAt against the kernel's own moment, and restarts under load.

usage: bench/bind-oracle.py JAR [--user 65532] [--addresses 10] [--rounds 1] [--restarts 20] [--clients 64]
                             [--transport native|nio] [--only free-at|restarts]

freeAt: starts the jar once per transport (native and nio, side by side) as the given user, without SO_REUSEADDR and
without retry-bind, listening on --addresses loopback addresses; each address serves three clients, which leaves their
TIME_WAIT on it, and a restart is refused with a freeAt per address. A bind without SO_REUSEADDR is then tried on each
address a second before its freeAt and every millisecond from 50 ms before it until one succeeds. Prints, per
transport, the clock the service told freeAt by and the distribution of the first successful bind against freeAt
(negative: the kernel freed the address before freeAt, as it should).

restarts: starts the jar (SO_REUSEADDR on), loads it with --clients clients of ../shared/bench/tcpbench, and asks for
--restarts close-then-bind restarts one after another; prints how many answered 200.

Run it alone on the machine (no build or test beside it); `stress-ng --cpu 2` beside it measures the busy case.
"""
import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime

JAVA = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
HERE = os.path.dirname(os.path.abspath(__file__))
TCPBENCH = os.path.join(HERE, "..", "..", "shared", "bench", "tcpbench.c")
AUTH = "Basic " + base64.b64encode(b"operator:secret").decode()


def http(port, path, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST" if body else "GET")
    request.add_header("Authorization", AUTH)
    if body:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def start(jar, user, transport, tcp_port, http_port, addresses, reuse_address, retry_bind):
    command = [JAVA, "-jar", jar, f"--server.port={http_port}", f"--responder.port={tcp_port}",
               f"--responder.transport={transport}", f"--responder.reuse-address={str(reuse_address).lower()}",
               f"--responder.retry-bind={str(retry_bind).lower()}"]
    if addresses:
        command.append("--responder.bind-addresses=" + ",".join(addresses))
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] + command
    env = dict(os.environ, SPRING_SECURITY_USER_NAME="operator", SPRING_SECURITY_USER_PASSWORD="secret")
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if http(http_port, "/actuator/health/readiness")[0] == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the {transport} service did not become ready")


def fetch(address, port):
    with socket.create_connection((address, port), timeout=10) as client:
        while client.recv(4096):
            pass


def time_wait(address, port):
    out = subprocess.run(["ss", "-Htan", "state", "time-wait", f"( sport = :{port} )", "src", address],
                         capture_output=True, text=True).stdout
    return len([line for line in out.splitlines() if line.strip()])


def try_bind(address, port):
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)
    try:
        probe.bind((address, port))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def wall(iso):
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def free_at_trials(args, round_number):
    addresses = [f"127.0.0.{i}" for i in range(2, 2 + args.addresses)]
    services = {}
    for offset, transport in enumerate(("native", "nio")):
        tcp_port, http_port = 19500 + 10 * offset + round_number * 100, 18500 + 10 * offset + round_number * 100
        services[transport] = (start(args.jar, args.user, transport, tcp_port, http_port, addresses, False, False),
                               tcp_port, http_port)
    targets = []
    try:
        for transport, (process, tcp_port, http_port) in services.items():
            for address in addresses:
                for _ in range(3):
                    fetch(address, tcp_port)
        for transport, (process, tcp_port, http_port) in services.items():
            deadline = time.monotonic() + 30
            while any(time_wait(a, tcp_port) < 3 for a in addresses) and time.monotonic() < deadline:
                time.sleep(0.1)
            status, _ = http(http_port, "/actuator/responder/restart", b"{}")
            assert status == 409, f"{transport}: the restart answered {status}"
            listeners = json.loads(http(http_port, "/actuator/responder")[1])["listeners"]
            for listener in listeners:
                targets.append({"transport": transport, "address": listener["address"], "port": tcp_port,
                                "freeAt": wall(listener["freeAt"]), "clock": listener.get("clock")})
        for target in targets:
            target["second before"] = None
        pending = list(targets)
        while pending:
            now = time.time()
            for target in list(pending):
                if target["second before"] is None and now >= target["freeAt"] - 1:
                    target["second before"] = try_bind(target["address"], target["port"])
                if now >= target["freeAt"] - 0.05 and target["second before"] is not None:
                    at = time.time()
                    if try_bind(target["address"], target["port"]):
                        target["first bind"] = (at - target["freeAt"]) * 1000
                        pending.remove(target)
                    elif at > target["freeAt"] + 5:
                        target["first bind"] = None
                        pending.remove(target)
            next_moment = min([t["freeAt"] - 0.05 for t in pending] + [now + 0.001])
            time.sleep(max(0.0005, min(0.001, next_moment - time.time())))
    finally:
        for process, _, _ in services.values():
            process.terminate()
            process.wait()
    return targets


def restarts_under_load(args):
    tcpbench = "/tmp/tcpbench"
    subprocess.run(["gcc", "-O2", "-o", tcpbench, TCPBENCH], check=True)
    process = start(args.jar, args.user, args.transport, 19600, 18600, [], True, True)
    load = subprocess.Popen([tcpbench, "-p", "19600", "-c", str(args.clients), "-d", "120", "-e",
                             "I sent sth to client!\\n"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    answers = []
    try:
        time.sleep(2)
        for _ in range(args.restarts):
            answers.append(http(18600, "/actuator/responder/restart", b"{}")[0])
            time.sleep(0.5)
    finally:
        load.terminate()
        load.wait()
        process.terminate()
        process.wait()
    return answers


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("jar")
    parser.add_argument("--user", type=int, default=None, help="run the service as this uid (setpriv); root if unset")
    parser.add_argument("--addresses", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--restarts", type=int, default=20)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--only", choices=("free-at", "restarts"), default=None)
    parser.add_argument("--transport", choices=("native", "nio"), default="native", help="of the restarts")
    args = parser.parse_args()
    print(f"load average: {open('/proc/loadavg').read().strip()}")
    if args.only != "restarts":
        trials = []
        for round_number in range(args.rounds):
            trials += free_at_trials(args, round_number)
        for transport in ("native", "nio"):
            mine = [t for t in trials if t["transport"] == transport]
            firsts = [t["first bind"] for t in mine if t["first bind"] is not None]
            clocks = sorted({str(t["clock"]) for t in mine})
            refused_before = sum(1 for t in mine if t["second before"] is False)
            print(f"{transport}: {len(mine)} trials, clock {'/'.join(clocks)}, a bind a second before freeAt refused "
                  f"in {refused_before}, first bind against freeAt (ms): min {min(firsts):.1f} median "
                  f"{statistics.median(firsts):.1f} max {max(firsts):.1f}; none within 5 s: "
                  f"{len(mine) - len(firsts)}")
    if args.only != "free-at":
        answers = restarts_under_load(args)
        print(f"{args.transport} restarts under {args.clients} clients: {answers.count(200)} of {len(answers)} answered 200 "
              f"({', '.join(str(a) for a in answers)})")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Start-up of the responder: from process start to LISTENING (the TCP port serves the line) and to readiness UP.

usage: bench/startup.py [--runs N] [--tcp-port P] [--http-port P] -- COMMAND...
The command must start the service on the given ports (pass them through, e.g. --responder.port=P).
Prints one line per run and the medians.
"""
import argparse, socket, statistics, subprocess, sys, time, urllib.request


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tcp-port", type=int, default=19400)
    parser.add_argument("--http-port", type=int, default=18400)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = [c for c in args.command if c != "--"]
    listening, readiness = [], []
    for run in range(args.runs):
        start = time.monotonic()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t_listen = t_ready = None
        try:
            while time.monotonic() - start < args.timeout and (t_listen is None or t_ready is None):
                now = time.monotonic() - start
                if t_listen is None and serves_line(args.tcp_port):
                    t_listen = time.monotonic() - start
                if t_ready is None and ready(args.http_port):
                    t_ready = time.monotonic() - start
                time.sleep(0.005)
        finally:
            process.terminate()
            process.wait(30)
        if t_listen is None or t_ready is None:
            sys.exit(f"run {run}: the service did not come up within {args.timeout}s")
        listening.append(t_listen)
        readiness.append(t_ready)
        print(f"run {run + 1}: listening={t_listen:.3f}s ready={t_ready:.3f}s")
    print(f"median: listening={statistics.median(listening):.3f}s ready={statistics.median(readiness):.3f}s")


if __name__ == "__main__":
    main()

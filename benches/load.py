#!/usr/bin/env python3
"""Load test of `stratagraph serve` (issue #18): many concurrent
connections for a while, with a mix of light and heavy queries, against a
store of the seeds x N. Reports requests, answers by status, errors that
are not 503 (busy) or timeouts, latency percentiles, and the server's peak
resident memory (VmHWM) and memory at the end.

    benches/load.sh [CONNECTIONS] [SECONDS]     (builds the store, starts the server)

Each connection opens a socket, sends one request (`Connection: close`),
reads the whole answer, and starts again until the time is up. One request
in ten is heavy (a three-way join, cancelled by `--timeout`), the rest
light (a count, a label lookup, the service description).
"""

import asyncio
import sys
import time
import urllib.parse

LIGHT = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l } LIMIT 20",
    "ASK { ?s a <https://w3id.org/stratagraph/ontology#State> }",
]
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def request(port, i):
    if i % 10 == 9:
        q = HEAVY
    elif i % 10 == 8:
        return f"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/turtle\r\nConnection: close\r\n\r\n"
    else:
        q = LIGHT[i % len(LIGHT)]
    qs = urllib.parse.urlencode({"query": q})
    return (
        f"GET /sparql?{qs} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Accept: application/sparql-results+json\r\nConnection: close\r\n\r\n"
    )


async def client(port, deadline, counter, stats, latencies):
    while time.monotonic() < deadline:
        i = counter[0]
        counter[0] += 1
        started = time.monotonic()
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", port), timeout=30)
            writer.write(request(port, i).encode())
            await writer.drain()
            data = await asyncio.wait_for(reader.read(), timeout=60)
            writer.close()
            status = data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "no-status"
        except (asyncio.TimeoutError, TimeoutError):
            status = "client-timeout"
        except OSError as e:
            status = f"socket:{e.__class__.__name__}"
        stats[status] = stats.get(status, 0) + 1
        latencies.append(time.monotonic() - started)


def memory(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmHWM", "VmRSS")):
                key, value = line.split(":")
                out[key] = int(value.split()[0]) // 1024
    return out


async def main():
    port, pid, connections, seconds = map(int, sys.argv[1:5])
    deadline = time.monotonic() + seconds
    counter, stats, latencies = [0], {}, []
    peak = 0

    async def watch():
        nonlocal peak
        while time.monotonic() < deadline + 5:
            peak = max(peak, memory(pid).get("VmRSS", 0))
            await asyncio.sleep(0.5)

    watcher = asyncio.create_task(watch())
    await asyncio.gather(*(client(port, deadline, counter, stats, latencies)
                           for _ in range(connections)))
    await watcher
    latencies.sort()
    total = sum(stats.values())
    ok = stats.get("200", 0)
    busy = stats.get("503", 0)
    errors = {k: v for k, v in stats.items() if k not in ("200", "503")}
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0
    mem = memory(pid)
    print(f"| connections | seconds | requests | 200 | 503 | other | p50 s | p99 s | peak RSS MB | RSS at end MB |")
    print(f"|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {connections} | {seconds} | {total} | {ok} | {busy} | {sum(errors.values())} | "
          f"{pct(0.5):.2f} | {pct(0.99):.2f} | {max(peak, mem.get('VmHWM', 0))} | {mem.get('VmRSS', 0)} |")
    if errors:
        print("other answers:", errors)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

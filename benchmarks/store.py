"""The session store on PostgreSQL against SQLite, measured in the same run (issue 18, point 7).

A throwaway PostgreSQL server (Debian's, on a Unix socket in a temporary
folder, stopped at the end: tests/pgserver.py; with its default durability,
so that each commit waits for the disk as SQLite's does) and a SQLite file in
a temporary folder on the same disk get the same work. Printed, for each engine:

- ``edit_p50_ms`` / ``edit_p95_ms``: one supervisor edit, as the widgets make
  them — a record saved (``put_record``) or a genogram change applied to the
  latest case with its log record (``edit_case``) — from the call until it has
  committed; ``--edits`` of each, alternating;
- ``follow_p50_ms`` / ``follow_p95_ms``: from an edit's commit until a
  participant's read-only handle, following with the real
  :func:`systemic.store.follow.follow` at the dashboard's interval (0.1 s),
  has seen it (one edit every 0.13 s, so that edits land at every point of
  the interval); the floor is the interval itself;
- ``look_us``: what one look of a follower costs (``data_version`` then, if it
  moved, ``version``: what each participant's kernel does ten times a second).

Then, for PostgreSQL: ``room_connections``, the connections the server holds
while a room of ``--room`` participants (each a read-only handle, as each
participant's kernel opens one) and the supervisor follow a session, counted
from ``pg_stat_activity``. Why no pool: each participant's page is its own
kernel process, and a pool lives inside one process, so it cannot share
connections between kernels; one connection per kernel is what a room costs.
Beyond one room (a council's service, issue 19), PgBouncer in transaction mode
in front of the server would let many kernels share a few server connections.

Usage::

    .venv/bin/python benchmarks/store.py [--edits 200] [--room 30] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from systemic.store import Store  # noqa: E402
from systemic.store.follow import follow  # noqa: E402
from tests.pgserver import PARTICIPANT, TemporaryPostgres  # noqa: E402

FOLLOW_EVERY = 0.1  # the participants' dashboard's interval (widgets/dashboard.py)


def _case() -> dict[str, Any]:
    people = [{"id": f"p{i}", "name": f"Person {i}", "sex": "female", "born": 1980 + i}
              for i in range(12)]
    return {"id": "bench", "title": "Benchmark family", "fictional": True, "people": people}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def edit_latency(address: str, edits: int) -> dict[str, float]:
    times: list[float] = []
    with Store.open(address) as store:
        sid = store.create_session("Benchmark", "camden_practice_framework")
        did = store.add_discussion(sid, _case())
        for i in range(edits):
            start = time.perf_counter()
            store.put_record(did, "hypothesis", {"text": f"I wonder whether {i}"})
            times.append(time.perf_counter() - start)
            start = time.perf_counter()
            store.edit_case(did, lambda c, i=i: {**c, "title": f"Family {i}"},
                            log={"op": "retitle", "args": {"n": i}})
            times.append(time.perf_counter() - start)
    return {"edit_p50_ms": 1000 * statistics.median(times),
            "edit_p95_ms": 1000 * _pct(times, 0.95)}


def follow_latency(address: str, edits: int, viewer: str | None = None) -> dict[str, float]:
    committed: dict[int, float] = {}
    seen: dict[int, float] = {}
    with Store.open(address) as writer, Store.open(viewer or address, readonly=True) as reader:
        sid = writer.create_session("Follow", "camden_practice_framework")
        did = writer.add_discussion(sid, _case())

        async def watch(stop: asyncio.Event) -> None:
            def noticed(version: int) -> None:
                seen.setdefault(version, time.perf_counter())
            await follow(reader, noticed, every=FOLLOW_EVERY, stop=stop)

        def write(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
            for i in range(edits):
                time.sleep(0.13)
                writer.put_record(did, "note", {"text": str(i)})
                committed[writer.version()] = time.perf_counter()
            time.sleep(3 * FOLLOW_EVERY)
            loop.call_soon_threadsafe(stop.set)

        async def main() -> None:
            stop = asyncio.Event()
            thread = threading.Thread(target=write, args=(asyncio.get_running_loop(), stop))
            thread.start()
            await watch(stop)
            thread.join()

        asyncio.run(main())
        looks = []
        for _ in range(300):
            start = time.perf_counter()
            reader.data_version()
            reader.version()
            looks.append(time.perf_counter() - start)
    # An edit is seen when the follower first reports its version or a later one (two
    # edits inside one interval are reported together, as the newer version).
    delays = []
    for version, at in committed.items():
        later = [when for v, when in seen.items() if v >= version]
        if later:
            delays.append(min(later) - at)
    missed = len(committed) - len(delays)
    return {"follow_p50_ms": 1000 * statistics.median(delays),
            "follow_p95_ms": 1000 * _pct(delays, 0.95), "follow_missed": missed,
            "look_us": 1e6 * statistics.median(looks)}


def room_connections(server: TemporaryPostgres, schema: str, room: int) -> dict[str, int]:
    viewer = server.url(PARTICIPANT, schema=schema)
    before = server.connections()
    with Store.open(server.url(schema=schema)) as supervisor:
        supervisor.create_session("Room", "camden_practice_framework")
        handles = [Store.open(viewer, readonly=True) for _ in range(room)]
        try:
            for handle in handles:
                handle.version()
            held = server.connections() - before
            participants = server.connections(PARTICIPANT)
        finally:
            for handle in handles:
                handle.close()
    return {"room_participants": room, "room_connections": held,
            "room_participant_connections": participants}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--follow-edits", type=int, default=60)
    parser.add_argument("--room", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    server = TemporaryPostgres(durable=True).start()
    results: dict[str, dict[str, Any]] = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            sqlite = str(Path(folder) / "workbook.db")
            schema = server.new_schema()
            postgres = server.url(schema=schema)
            for name, address, viewer in (
                ("sqlite", sqlite, None),
                ("postgresql", postgres, server.url(PARTICIPANT, schema=schema)),
            ):
                results[name] = {**edit_latency(address, args.edits),
                                 **follow_latency(address, args.follow_edits, viewer)}
            results["postgresql"].update(room_connections(server, server.new_schema(),
                                                          args.room))
    finally:
        server.stop()
    for key in ("edit_p50_ms", "edit_p95_ms", "follow_p50_ms", "follow_p95_ms", "look_us"):
        results.setdefault("ratio_postgresql_to_sqlite", {})[key] = (
            results["postgresql"][key] / results["sqlite"][key])
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for name, figures in results.items():
            print(name + ": " + ", ".join(
                f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The per-second timeline of a benchmark cell: the load generator's seconds (tt_loadgen --timeline)
joined with the server's and the database's counters sampled each second (bench/sample-metrics),
so that a latency spike can be read beside what the server was doing in that second.

    bench/timeline.py LOADGEN_JSON_LINE_FILE SAMPLES.jsonl        prints a Markdown table

Columns: scans answered and their p50, p99 and max (ms), reads' p99, errors; the writer's groups
(transactions) and mean group size, the mean time making a group durable, the write queue, the
checkpoints that ran (SQLite's; PostgreSQL's with their write and sync time), the WAL flushes of
PostgreSQL and their mean time, the WAL written (MB), the pool waits, and the server's memory.
"""
import bisect
import json
import sys


def load_samples(path):
    rows = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    rows.append(json.loads(line))
    except (OSError, ValueError):
        pass
    rows.sort(key=lambda r: r["t"])
    return rows


def at(samples, times, t):
    """The last sample taken at or before t (None when there is none)."""
    i = bisect.bisect_right(times, t) - 1
    return samples[i] if i >= 0 else None


def delta(a, b, key):
    if a is None or b is None or key not in a or key not in b:
        return None
    return b[key] - a[key]


def rows(load, samples):
    """One dict per second of the measured window."""
    times = [s["t"] for s in samples]
    out = []
    for sec in load.get("timeline", []):
        t0, t1 = sec["t"], sec["t"] + 1.0
        a, b = at(samples, times, t0), at(samples, times, t1)
        row = dict(sec)
        groups = delta(a, b, "tracetrack_db_write_groups_total")
        jobs = delta(a, b, "tracetrack_db_write_jobs_total")
        commit = delta(a, b, "tracetrack_db_commit_seconds_total")
        row["groups"] = groups
        row["group_size"] = jobs / groups if groups else None
        # The syncer's fdatasync covers every group committed before it began: per second, its
        # time is what durability cost; per group, what a group waited at most.
        row["commit_ms"] = commit * 1000 / groups if groups and commit is not None else None
        queue = None
        if b is not None:
            queue = b.get("tracetrack_db_write_queue_length", b.get("tracetrack_sqlite_write_queue_length"))
        row["queue"] = queue
        row["checkpoints"] = delta(a, b, "tracetrack_sqlite_checkpoints_total")
        ck = delta(a, b, "tracetrack_sqlite_checkpoint_seconds_total")
        row["checkpoint_ms"] = ck * 1000 if ck is not None else None
        row["pg_checkpoints"] = delta(a, b, "pg_checkpoints")
        w, s = delta(a, b, "pg_checkpoint_write_ms"), delta(a, b, "pg_checkpoint_sync_ms")
        row["pg_checkpoint_ms"] = (w or 0) + (s or 0) if w is not None or s is not None else None
        syncs = delta(a, b, "pg_wal_syncs")
        sync_ms = delta(a, b, "pg_wal_sync_ms")
        row["wal_syncs"] = syncs
        row["wal_sync_ms"] = sync_ms / syncs if syncs and sync_ms is not None else None
        wal = delta(a, b, "pg_wal_bytes")
        if wal is None:
            pages = delta(a, b, "tracetrack_sqlite_wal_pages_total")
            wal = pages * 4096 if pages is not None else None
        row["wal_mb"] = wal / 1e6 if wal is not None else None
        row["pool_waits"] = delta(a, b, "tracetrack_db_pool_waits_total")
        row["refused"] = delta(a, b, "tracetrack_db_write_refused_total")
        rss = b.get("process_resident_memory_bytes") if b else None
        row["rss_mb"] = rss / 1e6 if rss else None
        out.append(row)
    return out


def fmt(v, digits=1):
    if v is None:
        return "–"
    if isinstance(v, float):
        if v >= 100:
            return f"{v:,.0f}"
        return f"{v:.{digits}f}"
    return f"{v:,}"


COLUMNS = [
    ("s", "s"), ("scans", "scans"), ("scan_p50_ms", "p50"), ("scan_p99_ms", "p99"), ("scan_max_ms", "max"),
    ("read_p99_ms", "read p99"), ("errors", "errors"), ("groups", "groups"), ("group_size", "jobs/group"),
    ("commit_ms", "commit ms"), ("queue", "queue"), ("checkpoints", "ckpt"), ("checkpoint_ms", "ckpt ms"),
    ("pg_checkpoint_ms", "pg ckpt ms"), ("wal_syncs", "WAL flushes"), ("wal_sync_ms", "flush ms"), ("wal_mb", "WAL MB"),
    ("pool_waits", "pool waits"), ("refused", "503"), ("rss_mb", "RSS MB"),
]


def markdown(table):
    """A Markdown table, leaving out columns that are empty in every row."""
    cols = [(k, h) for k, h in COLUMNS if k == "s" or any(r.get(k) is not None for r in table)]
    lines = ["| " + " | ".join(h for _, h in cols) + " |", "|" + "---|" * len(cols)]
    for i, r in enumerate(table):
        r = dict(r, s=i + 1)
        lines.append("| " + " | ".join(fmt(r.get(k)) for k, _ in cols) + " |")
    return "\n".join(lines)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        lines = [l for l in f if l.startswith('{"')]
    load = json.loads(lines[-1]) if lines else {}
    print(markdown(rows(load, load_samples(sys.argv[2]))))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes bench/RESULTS.md from the rows bench/run collected (one JSON object per line: backend,
connections, mode, server_peak_rss_kb, healthz_per_s, pgbench_tps, the samples file of the
per-second timeline and the load generator's JSON line under "load")."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import timeline  # noqa: E402  (bench/timeline.py)

# The system TraceTrack replaces, measured with 20 concurrent users.
OLD_RPS = 24.0
OLD_P95_MS = 773.0

# Targets of the benchmark (on 2 cores, measured in one run so that ratios cancel the machine).
TARGET_PG_VS_PGBENCH = 1.5       # PostgreSQL child scans/s ÷ pgbench -N tps, at 20 and 200 connections
TARGET_SQLITE_SCANS = 20000.0    # SQLite child scans/s at 200 connections
TARGET_SQLITE_VS_HEALTHZ = 0.5   # SQLite child scans/s ÷ the same server's GET /healthz rate
TARGET_SCAN_P99_MS = 10.0        # open loop at 70 % of capacity, and closed loop at 20 connections
TARGET_READ_P99_MS = 5.0         # bag lookups and dashboard figures while the scans run
TARGET_RSS_MB = 150.0


def fmt_ms(v):
    if v is None:
        return "–"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def fmt_n(v):
    return f"{v:,.0f}"


def op(load, name, field):
    return load.get("ops", {}).get(name, {}).get(field)


def errors_cell(load):
    n = load.get("error_total", 0)
    unsent = load.get("unsent", 0)
    cell = fmt_n(n)
    if unsent:
        cell += f" (+{fmt_n(unsent)} unsent)"
    return cell


def ratio(a, b):
    return a / b if a and b else None


def fmt_ratio(v):
    return "–" if v is None else f"{v:.2f}×"


def table(rows, mode):
    out = []
    head = ("| backend | conns | req/s | child scans/s | scan p50 | scan p95 | scan p99 | scan p99.9 | scan max "
            "| lookup p99 | stats p99 | errors | server peak RSS | × old req/s | old p95 ÷ scan p95 |")
    out.append(head)
    out.append("|" + "|".join(["---"] * (head.count("|") - 1)) + "|")
    for r in rows:
        if r["mode"] != mode:
            continue
        load = r["load"]
        if not load:
            out.append(f"| {r['backend']} | {r['connections']} | no result | | | | | | | | | | | | |")
            continue
        rps = load.get("requests_per_s", 0.0)
        p95 = op(load, "scan_child", "p95_ms")
        out.append("| " + " | ".join([
            r["backend"], str(r["connections"]), fmt_n(rps), fmt_n(load.get("child_scans_per_s", 0.0)),
            fmt_ms(op(load, "scan_child", "p50_ms")), fmt_ms(p95), fmt_ms(op(load, "scan_child", "p99_ms")),
            fmt_ms(op(load, "scan_child", "p999_ms")), fmt_ms(op(load, "scan_child", "max_ms")),
            fmt_ms(op(load, "bag_lookup", "p99_ms")), fmt_ms(op(load, "stats", "p99_ms")),
            errors_cell(load), f"{r['server_peak_rss_kb'] / 1024:.0f} MB",
            f"{rps / OLD_RPS:,.0f}×", (f"{OLD_P95_MS / p95:,.0f}×" if p95 else "–"),
        ]) + " |")
    return "\n".join(out)


def error_details(rows):
    lines = []
    for r in rows:
        errs = r["load"].get("errors", {}) if r["load"] else {}
        if not errs:
            continue
        top = sorted(errs.items(), key=lambda kv: -kv[1])[:5]
        detail = "; ".join(f"{n:,} × `{k}`" for k, n in top)
        lines.append(f"- {r['backend']}, {r['connections']} connections, {r['mode']} loop: {detail}")
    return lines


def ratios_table(rows):
    """Closed loop beside the same server's HTTP ceiling and, on PostgreSQL, pgbench -N."""
    out = ["| backend | conns | child scans/s | GET /healthz/s | scans ÷ healthz | pgbench -N tps | scans ÷ pgbench |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["mode"] != "closed" or not r["load"]:
            continue
        scans = r["load"].get("child_scans_per_s", 0.0)
        hz = r.get("healthz_per_s", 0.0)
        pgb = r.get("pgbench_tps", 0.0)
        out.append("| " + " | ".join([
            r["backend"], str(r["connections"]), fmt_n(scans), fmt_n(hz) if hz else "–", fmt_ratio(ratio(scans, hz)),
            fmt_n(pgb) if pgb else "–", fmt_ratio(ratio(scans, pgb)),
        ]) + " |")
    return "\n".join(out)


def non_refusal_errors(load):
    """Errors of a load run other than 503 refusals."""
    return sum(n for k, n in load.get("errors", {}).items() if " 503 " not in k)


def overload_lines(rows):
    out = []
    for r in rows:
        if r["mode"] != "overload" or not r["load"]:
            continue
        load = r["load"]
        ref = load.get("refused", {})
        other = non_refusal_errors(load)
        out.append(f"- {r['backend']}, {r['connections']} connections, {fmt_n(load.get('rate', 0))} requests/s offered: "
                   f"{fmt_n(load.get('child_scans_per_s', 0.0))} child scans/s served; "
                   f"{fmt_n(ref.get('count', 0))} requests refused with 503 ({fmt_n(ref.get('with_retry_after', 0))} "
                   f"with Retry-After), answered in p50 {fmt_ms(ref.get('p50_ms'))} ms, p99 {fmt_ms(ref.get('p99_ms'))} ms, "
                   f"max {fmt_ms(ref.get('max_ms'))} ms; {fmt_n(other)} other errors; "
                   f"{fmt_n(load.get('unsent', 0))} requests the generator never managed to send and "
                   f"{fmt_n(load.get('in_flight_at_end', 0))} in flight when the run ended")
    return out


def check(ok):
    return "met" if ok else "NOT met"


def verdicts(rows):
    """Each target of the benchmark, checked against the rows of this run."""
    out = []
    by = {(r["backend"], r["connections"], r["mode"]): r for r in rows if r["load"]}
    for conns in (20, 200):
        r = by.get(("postgres", conns, "closed"))
        if r and r.get("pgbench_tps"):
            got = r["load"].get("child_scans_per_s", 0.0)
            q = got / r["pgbench_tps"]
            out.append(f"- postgres: child scans/s ≥ {TARGET_PG_VS_PGBENCH:g} × pgbench -N tps at {conns} connections: "
                       f"{check(q >= TARGET_PG_VS_PGBENCH)} ({fmt_n(got)} ÷ {fmt_n(r['pgbench_tps'])} = {q:.2f}×)")
    r = by.get(("sqlite", 200, "closed"))
    if r:
        got = r["load"].get("child_scans_per_s", 0.0)
        out.append(f"- sqlite: ≥ {fmt_n(TARGET_SQLITE_SCANS)} child scans/s at 200 connections: "
                   f"{check(got >= TARGET_SQLITE_SCANS)} ({fmt_n(got)}/s)")
        if r.get("healthz_per_s"):
            q = got / r["healthz_per_s"]
            out.append(f"- sqlite: child scans/s ≥ {TARGET_SQLITE_VS_HEALTHZ:g} × the same server's GET /healthz/s at "
                       f"200 connections: {check(q >= TARGET_SQLITE_VS_HEALTHZ)} ({fmt_n(got)} ÷ "
                       f"{fmt_n(r['healthz_per_s'])} = {q:.2f}×)")
    for backend in ("sqlite", "postgres"):
        r = by.get((backend, 20, "closed"))
        if r:
            p99 = op(r["load"], "scan_child", "p99_ms")
            out.append(f"- {backend}: scan p99 ≤ {TARGET_SCAN_P99_MS:g} ms at 20 connections, closed loop: "
                       f"{check(p99 is not None and p99 <= TARGET_SCAN_P99_MS)} ({fmt_ms(p99)} ms)")
        for conns in (20, 200, 1000):
            r = by.get((backend, conns, "open"))
            if not r:
                continue
            load = r["load"]
            p99 = op(load, "scan_child", "p99_ms")
            lp99 = op(load, "bag_lookup", "p99_ms")
            sp99 = op(load, "stats", "p99_ms")
            ok = p99 is not None and p99 <= TARGET_SCAN_P99_MS and not load.get("unsent") and not load.get("error_total")
            out.append(f"- {backend}: scan p99 ≤ {TARGET_SCAN_P99_MS:g} ms at 70 % of capacity "
                       f"({fmt_n(load.get('rate', 0))} requests/s over {conns} connections, open loop): {check(ok)} "
                       f"(p99 {fmt_ms(p99)} ms, {fmt_n(load.get('error_total', 0))} errors, "
                       f"{fmt_n(load.get('unsent', 0))} unsent); lookups and dashboard p99 ≤ {TARGET_READ_P99_MS:g} ms: "
                       f"{check(lp99 is not None and sp99 is not None and max(lp99, sp99) <= TARGET_READ_P99_MS)} "
                       f"(lookup {fmt_ms(lp99)} ms, stats {fmt_ms(sp99)} ms)")
        rss = max((r["server_peak_rss_kb"] for r in rows if r["backend"] == backend), default=0) / 1024
        if rss:
            out.append(f"- {backend}: server resident memory ≤ {TARGET_RSS_MB:g} MB in every cell: "
                       f"{check(rss <= TARGET_RSS_MB)} (peak {rss:.0f} MB)")
    r = by.get(("postgres", 1000, "closed"))
    if r:
        n = r["load"].get("error_total", 0)
        out.append(f"- postgres: no request fails at 1,000 connections (closed loop, the most it takes): "
                   f"{check(n == 0)} ({fmt_n(n)} errors)")
    r = by.get(("postgres", 1000, "overload"))
    if r:
        load = r["load"]
        ref = load.get("refused", {})
        other = non_refusal_errors(load)
        ok = other == 0 and ref.get("count", 0) == ref.get("with_retry_after", 0) and (ref.get("p99_ms") or 0) <= 100
        out.append(f"- postgres: above capacity, excess requests get 503 with Retry-After at once (p99 ≤ 100 ms), "
                   f"nothing else fails: {check(ok)} ({fmt_n(ref.get('count', 0))} refused, p99 "
                   f"{fmt_ms(ref.get('p99_ms'))} ms; {fmt_n(other)} other errors)")
    return out


def timelines(rows):
    """The per-second timeline of each open-loop run and of the closed loop at 20 connections."""
    out = []
    for r in rows:
        if not r["load"] or not (r["mode"] == "open" or (r["mode"] == "closed" and r["connections"] == 20)):
            continue
        samples = timeline.load_samples(r.get("samples", ""))
        t = timeline.rows(r["load"], samples)
        if not t:
            continue
        out.append(f"### {r['backend']}, {r['connections']} connections, {r['mode']} loop")
        out.append("")
        out.append(timeline.markdown(t))
        out.append("")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows")
    for name in ("commit", "date", "cores", "cpu", "memory-kb", "kernel", "duration", "warmup", "quick", "seeded",
                 "seed-time", "loadgen-threads", "server-threads"):
        ap.add_argument("--" + name, required=True)
    a = ap.parse_args()
    rows = [json.loads(line) for line in open(a.rows, encoding="utf-8") if line.strip()]

    mem_gib = int(a.memory_kb) / 1024 / 1024
    rates = sorted({(r["backend"], r["load"].get("rate")) for r in rows if r["mode"] == "open" and r["load"]})
    p = print
    p("# Benchmark results")
    p()
    if a.quick == "1":
        p("**Quick run (`bench/run --quick`): a few seconds per cell, a smoke test of the matrix, not a measurement.**")
        p()
    p("Exports and imports of the same data set: `bench/export` writes `EXPORT-RESULTS.md`; the scan screen in a")
    p("browser: `bench/ui` writes `UI-RESULTS.md`.")
    p()
    p(f"- Machine: {a.cores} cores ({a.cpu}), {mem_gib:.1f} GiB memory, Linux {a.kernel}")
    p(f"- Commit: {a.commit}; date: {a.date}; release build (`meson --buildtype=release`)")
    p(f"- Server: `tracetrack serve`, request threads: {a.server_threads}; SQLite with synchronous=FULL (the default: "
      "an acknowledged scan survives power loss); PostgreSQL 15 on the same machine with fsync on")
    p(f"- Load: `tt_loadgen` on the same machine (it shares the cores with the server and the database), "
      f"{a.loadgen_threads} thread(s); each cell runs {a.warmup} s of warm-up then {a.duration} s measured, on a "
      "fresh database, one scanner account shared by all connections")
    if a.seeded == "yes":
        p("- Database: each cell starts from a copy of a data set written by `tracetrack seed` (60,000 parents of "
          "30 children = 1.86 million bags, 2,000 bills, 5 areas, 25 users, 1.9 million scan events, 1.9 million "
          f"audit entries; seeding took {a.seed_time}); the scanner works in area Depot 1 and its lookups read "
          "Depot 1's seeded parents, each with 30 children and its history")
    else:
        p("- Database: **empty at the start of each cell (not seeded)**; lookups read bags the scanners just made")
    p("- Workflow of each connection: scan a parent, 30 children, next parent; 5 % of children scanned twice "
      "(already_linked), 10 % of parents get a scan into the full parent (parent_full) and a parent code scanned as a "
      "child (not_a_child); 2 % of requests are bag lookups, 0.5 % dashboard stats")
    p(f"- Replaced system: {OLD_RPS:g} requests/s, p95 {OLD_P95_MS:g} ms with 20 users. "
      "“× old req/s” is requests/s ÷ 24; “old p95 ÷ scan p95” is 773 ms ÷ the child scan p95")
    p("- Latencies in milliseconds; percentiles from log-bucketed histograms (within 0.8 %, never rounded down)")
    p()
    p("## Closed loop: the most the server takes")
    p()
    p("Each connection sends its next request as soon as the previous answer arrives. With many connections the "
      "latency is mostly queueing (connections ÷ throughput).")
    p()
    p(table(rows, "closed"))
    p()
    p("## Open loop: latency at the target rate")
    p()
    p("Requests leave on a fixed schedule (by default 70 % of the throughput the same cell reached in closed "
      "loop; here " + ", ".join(f"{b}: {fmt_n(r)} requests/s" for b, r in rates) +
      " over all connections); latency is measured from each request's intended send time, so a stalled server "
      "shows up as latency, and requests a connection was still too far behind to send by the end count as unsent.")
    p()
    p(table(rows, "open"))
    p()
    details = error_details(rows)
    if details:
        p("### Errors")
        p()
        for line in details:
            p(line)
        p()
    p("## Beside the HTTP ceiling and pgbench")
    p()
    p("Measured on the same server (GET /healthz from as many connections) and, on PostgreSQL, on the same "
      "cluster just before each cell (`pgbench -N`, scale 10, as many clients up to 250: one small read-write "
      "transaction per request, fsync on).")
    p()
    p(ratios_table(rows))
    p()
    over = overload_lines(rows)
    if over:
        p("## Overload: more than the server can take")
        p()
        p("Open loop at 150 % of the closed loop's throughput with 1,000 connections. A scanner (and each of "
          "the generator's connections) sends one request at a time, so the server never holds more than 1,000; "
          "its write queue takes 1,024, so here it answers every request it is sent, each after the queue ahead "
          "of it (about connections ÷ throughput), and the excess waits at the clients: the latencies from the "
          "intended send time below grow for the whole run, the server's own do not. Past 1,024 waiting writes "
          "(more scanners, or a client that pipelines) a write is refused at once with 503 and Retry-After (the "
          "scan screen's queue sends it again), which the storage tests show (`tests/storage/"
          "test_write_groups.cpp`); reads that wait 2 s for a PostgreSQL connection get the same 503.")
        p()
        for line in over:
            p(line)
        p()
    p("## Targets")
    p()
    if a.seeded != "yes":
        p("The targets are set for a database holding 1.8 million bags. This run started on empty databases, so "
          "the verdicts below are not yet the answer to them.")
        p()
    for line in verdicts(rows):
        p(line)
    p()
    p("## Per-second timelines")
    p()
    p("Each second of a measured window: the scans answered then (by intended send time) with their p50, p99 "
      "and max, the reads' p99, errors; beside them what the server and the database did in that second: "
      "transactions committed by the writer(s) and jobs per transaction, mean time making one durable, the "
      "write queue, checkpoints (SQLite's, with the writer's time in them; PostgreSQL's write and sync time), "
      "PostgreSQL's WAL flushes, their mean time and the WAL written, pool waits, 503s, the server's memory.")
    p()
    for line in timelines(rows):
        p(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Writes bench/RESULTS.md from the rows bench/run collected (one JSON object per line: backend,
connections, mode, server_peak_rss_kb and the load generator's JSON line under "load")."""
import argparse
import json
import sys

# The system TraceTrack replaces, measured with 20 concurrent users.
OLD_RPS = 24.0
OLD_P95_MS = 773.0

# Targets of the benchmark (2 cores, 1,000 scanner connections).
TARGET_SCANS = {"sqlite": 20000.0, "postgres": 10000.0}
TARGET_SCAN_P99_MS = 10.0
TARGET_LOOKUP_P99_MS = 2.0
TARGET_STATS_MS = 5.0
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


def verdicts(rows):
    """Each target checked against the 1,000-connection rows; 'not measured' when absent."""
    out = []
    by = {(r["backend"], r["connections"], r["mode"]): r for r in rows if r["load"]}
    for backend, target in TARGET_SCANS.items():
        closed = by.get((backend, 1000, "closed"))
        opened = by.get((backend, 1000, "open"))
        if closed:
            got = closed["load"].get("child_scans_per_s", 0.0)
            out.append(f"- {backend}: ≥ {fmt_n(target)} child scans/s with 1,000 connections: "
                       f"{'met' if got >= target else 'NOT met'} ({fmt_n(got)}/s, closed loop)")
        else:
            out.append(f"- {backend}: child scans/s with 1,000 connections: not measured")
        if opened:
            load = opened["load"]
            p99 = op(load, "scan_child", "p99_ms")
            ok = (p99 is not None and p99 <= TARGET_SCAN_P99_MS and load.get("unsent", 0) == 0
                  and load.get("error_total", 0) == 0)
            out.append(f"- {backend}: scan p99 ≤ {TARGET_SCAN_P99_MS:g} ms at {fmt_n(load.get('rate', 0))} requests/s "
                       f"offered over 1,000 connections: {'met' if ok else 'NOT met'} "
                       f"(p99 {fmt_ms(p99)} ms, {fmt_n(load.get('child_scans_per_s', 0.0))} child scans/s achieved, "
                       f"{fmt_n(load.get('unsent', 0))} unsent, {fmt_n(load.get('error_total', 0))} errors)")
            lp99 = op(load, "bag_lookup", "p99_ms")
            sp99 = op(load, "stats", "p99_ms")
            out.append(f"- {backend}: bag lookup p99 ≤ {TARGET_LOOKUP_P99_MS:g} ms: "
                       f"{'met' if lp99 is not None and lp99 <= TARGET_LOOKUP_P99_MS else 'NOT met'} ({fmt_ms(lp99)} ms); "
                       f"stats p99 ≤ {TARGET_STATS_MS:g} ms: "
                       f"{'met' if sp99 is not None and sp99 <= TARGET_STATS_MS else 'NOT met'} ({fmt_ms(sp99)} ms)")
        rss = max((r["server_peak_rss_kb"] for r in rows if r["backend"] == backend), default=0) / 1024
        if rss:
            out.append(f"- {backend}: server resident memory ≤ {TARGET_RSS_MB:g} MB: "
                       f"{'met' if rss <= TARGET_RSS_MB else 'NOT met'} (peak {rss:.0f} MB)")
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
    p("## Targets")
    p()
    if a.seeded != "yes":
        p("The targets are set for a database holding 1.8 million bags. This run started on empty databases, so "
          "the verdicts below are not yet the answer to them.")
        p()
    for line in verdicts(rows):
        p(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

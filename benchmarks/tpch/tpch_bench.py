#!/usr/bin/env python3
"""TPC-H benchmark: quiver (single node, in-process cluster, localhost worker processes), DuckDB
and DataFusion on the same Parquet files; answers checked against DuckDB.

    tpch_bench.py [--sf 1] [--runs 3] [--modes single,cluster,workers:4] [--queries q01,q06]
                  [--engines duckdb,datafusion] [--baseline FILE] [--out FILE] [--build build]

Prints per query the median ms of each engine, the ratios quiver/duckdb and quiver/datafusion for
every quiver mode, and a total over the queries every engine answered correctly; writes the
figures as JSON (default BUILD/tpch/results/<date>-<time>-sf<SF>.json) and, with --baseline,
prints each figure's change against that earlier file. The runs are rounds: in each round every
engine runs every query once, engine after engine, so that the load of a shared machine drifting
during the benchmark reaches every engine alike (the medians are over the rounds). quiver is timed
inside one process per round by build/quiver_tpch (planning and execution, no process start-up,
each query after one untimed run); the peers through their Python packages (sql + full
materialisation), each query after one untimed run in the first round.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "tpch"))
import tpch_lib  # noqa: E402


def timed_once(fn, warm: bool):
    """(ms of one call of FN, its result), after one untimed call when WARM."""
    if warm:
        fn()
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000.0, result


def add_time(out, name, ms, **fields):
    """Appends one round's MS for query NAME to OUT's record, keeping the latest FIELDS."""
    rec = out.setdefault(name, {"times_ms": [], "status": "ok"})
    rec["times_ms"].append(ms)
    rec.update(fields)


def add_error(out, name, error: str):
    """Marks query NAME of OUT failed (a failure in any round counts)."""
    out[name] = {"status": "error", "error": error.splitlines()[0][:300]}


class DuckDbRunner:
    """DuckDB over the Parquet files; its answers are the reference."""

    def __init__(self, data: Path):
        self.con = tpch_lib.duckdb_connection(data)

    def round(self, names, warm: bool, out, reference=None):
        for name in names:
            sql = tpch_lib.query_text(name)
            ms, (cols, rows) = timed_once(lambda: tpch_lib.duckdb_answer(self.con, sql), warm)
            add_time(out, name, ms, answer=(cols, rows))


class DataFusionRunner:
    """DataFusion (Python package) over the same Parquet directories."""

    def __init__(self, data: Path):
        import datafusion

        self.ctx = datafusion.SessionContext()
        for t in tpch_lib.TABLES:
            self.ctx.register_parquet(t, str(data / t) + "/")

    def round(self, names, warm: bool, out, reference):
        for name in names:
            if out.get(name, {}).get("status") == "error":
                continue
            sql = tpch_lib.query_text(name)
            try:
                ms, batches = timed_once(lambda: self.ctx.sql(sql).collect(), warm)
            except Exception as e:  # noqa: BLE001 - any engine error is a result here
                add_error(out, name, str(e))
                continue
            rows, cols = [], []
            for b in batches:
                cols = b.schema.names
                rows += [tuple(r.values()) for r in b.to_pylist()]
            add_time(out, name, ms, **check(sql, cols, rows, reference[name]["answer"]))


def check(sql: str, cols, rows, answer):
    """{"status": "ok"} or {"status": "wrong", "error": first difference} against ANSWER."""
    want_cols, want_rows = answer
    diff = tpch_lib.compare(cols or want_cols, rows, want_cols, want_rows,
                            tpch_lib.order_by_columns(sql, want_cols))
    return {"status": "ok"} if diff is None else {"status": "wrong", "error": diff}


def start_workers(quiver: Path, count: int):
    """(processes, URLs) of COUNT `quiver worker --port 0` processes on loopback."""
    procs, urls = [], []
    for _ in range(count):
        log = tempfile.TemporaryFile(mode="w+")
        proc = subprocess.Popen([str(quiver), "worker", "--port", "0"], stderr=log,
                                stdout=subprocess.DEVNULL)
        procs.append(proc)
        for _ in range(200):
            log.seek(0)
            text = log.read()
            if "grpc://" in text:
                urls.append(text.split("grpc://", 1)[1].split()[0])
                break
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        if len(urls) != len(procs):
            stop_workers(procs)
            sys.exit(f"tpch_bench: a quiver worker did not start: {text.strip()}")
    return procs, urls


def stop_workers(procs):
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


class QuiverRunner:
    """One quiver mode (single, cluster:N or workers:N) through build/quiver_tpch; a workers:N
    mode starts its worker processes once and stops them in close()."""

    def __init__(self, args, data: Path, mode: str):
        build = Path(args.build)
        self.mode = mode
        self.procs = []
        self.cmd = [str(build / "quiver_tpch"), "--data", str(data), "--queries",
                    str(tpch_lib.QUERY_DIR)]
        kind, _, count = mode.partition(":")
        if kind == "cluster":
            self.cmd += ["--workers", count or "4"]
        elif kind == "workers":
            self.procs, urls = start_workers(build / "quiver", int(count or "4"))
            self.cmd += ["--workers-url", ",".join(urls)]
        if kind != "single":
            self.cmd += ["--set", f"distributed.bytes_per_partition={args.bytes_per_partition}"]

    def round(self, names, warm: bool, out, reference):
        """Runs every query once in one process, each after one untimed run (a new process
        always warms up: its first run would pay the process's own start)."""
        cmd = self.cmd + ["--runs", "1", "--warmup", "1"]
        for name in names:
            cmd += ["--query", name]
        with tempfile.TemporaryDirectory() as results:
            proc = subprocess.run(cmd + ["--results", results], capture_output=True, text=True)
            if proc.returncode != 0:
                self.close()
                sys.exit(f"tpch_bench: quiver_tpch failed ({self.mode}):\n{proc.stderr}")
            doc = json.loads(proc.stdout)
            for q in doc["queries"]:
                name = q["name"]
                if "error" in q:
                    add_error(out, name, q["error"])
                    continue
                if out.get(name, {}).get("status") == "error":
                    continue
                objects = json.loads(Path(results, f"{name}.json").read_text() or "[]")
                cols = list(objects[0].keys()) if objects else []
                rows = [tuple(o[c] for c in cols) for o in objects]
                add_time(out, name, q["times_ms"][0],
                         **check(tpch_lib.query_text(name), cols, rows, reference[name]["answer"]))

    def close(self):
        stop_workers(self.procs)
        self.procs = []


def median(record):
    """The median ms of a record with timings (also when its answer was wrong), else None."""
    return statistics.median(record["times_ms"]) if record.get("times_ms") else None


def fmt(record):
    """A record's median for the table: "12.3", "12.3!" for a wrong answer, "error"."""
    ms = median(record)
    if ms is None:
        return record.get("status", "-")
    return f"{ms:.1f}" + ("" if record["status"] == "ok" else "!")


def ratio(a, b):
    return "-" if a is None or b is None or b == 0 else f"{a / b:.2f}"


SHORT = {"duckdb": "duck", "datafusion": "df"}


def print_table(names, results, quiver_modes, peers):
    """Per-query medians and ratios; totals over the queries every quiver mode answered
    correctly and every peer answered; then the wrong answers and errors."""
    head = [f"{'query':<6}"] + [f"{p:>11}" for p in peers]
    for m in quiver_modes:
        head.append(f"{'quiver ' + m:>18}")
        head += [f"{'/' + SHORT.get(p, p):>6}" for p in peers]
    print(" ".join(head))
    complete = [n for n in names
                if all(results["quiver-" + m][n]["status"] == "ok" for m in quiver_modes)
                and all(median(results[p][n]) is not None for p in peers)]
    totals = {e: sum(median(results[e][n]) for n in complete) for e in results}
    for n in names + ["total"]:
        if n == "total":
            recs = {e: {"status": "ok", "times_ms": [totals[e]]} if complete else {}
                    for e in results}
        else:
            recs = {e: results[e][n] for e in results}
        cells = [f"{n:<6}"] + [f"{fmt(recs[p]):>11}" for p in peers]
        for m in quiver_modes:
            q = recs["quiver-" + m]
            cells.append(f"{fmt(q):>18}")
            good = q.get("status") == "ok"
            cells += [f"{ratio(median(q) if good else None, median(recs[p])):>6}" for p in peers]
        print(" ".join(cells))
    print(f"(medians in ms, ! = wrong answer; total over the {len(complete)} queries every "
          f"quiver mode answered correctly: {', '.join(complete) or 'none'})")
    # Problems, one line per query and message (the quiver modes usually agree).
    for n in names:
        seen = {}
        for e in results:
            rec = results[e][n]
            if rec["status"] != "ok":
                seen.setdefault((rec["status"], rec.get("error", "")), []).append(e)
        for (status, error), engines in seen.items():
            print(f"  {n} {', '.join(engines)}: {status}: {error}")


def print_baseline(doc, baseline_path: Path):
    """Each engine's per-query median change against an earlier results file."""
    base = json.loads(baseline_path.read_text())
    print(f"\nchange against {baseline_path} (sf {base.get('sf')}, {base.get('date')}):")
    for engine, per_query in doc["engines"].items():
        old = base.get("engines", {}).get(engine)
        if old is None:
            print(f"  {engine}: not in the baseline")
            continue
        for n, rec in per_query.items():
            a, b = rec.get("median_ms"), old.get(n, {}).get("median_ms")
            if a is None or b is None:
                was = old.get(n, {}).get("status", "absent")
                print(f"  {engine} {n}: now {rec['status']}, was {was}")
            else:
                print(f"  {engine} {n}: {b:.1f} -> {a:.1f} ms ({(a - b) / b * 100:+.1f}%)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sf", default="1")
    parser.add_argument("--runs", type=int, default=3,
                        help="rounds: each engine runs each query once per round")
    parser.add_argument("--modes", default="single,cluster:4",
                        help="quiver modes: single, cluster:N (in-process workers), workers:N "
                        "(N `quiver worker` processes on localhost); comma-separated")
    parser.add_argument("--engines", default="duckdb,datafusion",
                        help="peers besides the DuckDB reference: duckdb,datafusion")
    parser.add_argument("--queries", help="comma-separated subset, e.g. q01,q06")
    parser.add_argument("--parts", type=int, default=4, help="Parquet files per table")
    parser.add_argument("--bytes-per-partition", default="16MB",
                        help="distributed.bytes_per_partition for the distributed modes")
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--baseline", help="an earlier results JSON to compare with")
    parser.add_argument("--out", help="results JSON (default BUILD/tpch/results/"
                        "<date>-<time>-sf<SF>.json)")
    parser.add_argument("--query-dir", help="read qNN.sql from here instead of tests/tpch/queries")
    args = parser.parse_args()
    if args.query_dir:
        tpch_lib.QUERY_DIR = Path(args.query_dir).resolve()
    if args.baseline and not Path(args.baseline).is_file():
        sys.exit(f"tpch_bench: --baseline {args.baseline}: no such file")

    gen = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_tpch.py"), "--sf", args.sf,
                          "--parts", str(args.parts), "--out", str(Path(args.build) / "tpch")],
                         capture_output=True, text=True)
    if gen.returncode != 0:
        sys.exit(f"tpch_bench: data generation failed:\n{gen.stderr}")
    data = Path(gen.stdout.strip()).resolve()
    names = args.queries.split(",") if args.queries else tpch_lib.query_names()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    peers = [p for p in args.engines.split(",") if p]

    print(f"TPC-H sf{args.sf} ({data}), {args.runs} rounds, {os.cpu_count()} cores", flush=True)
    # Rounds: every engine runs every query once per round, engine after engine, so that the
    # machine's load drifting during the benchmark reaches every engine alike.
    reference = {}
    duckdb = DuckDbRunner(data)
    duckdb.round(names, True, reference)
    runners = {}
    if "duckdb" in peers:
        runners["duckdb"] = duckdb
    if "datafusion" in peers:
        runners["datafusion"] = DataFusionRunner(data)
    for m in modes:
        runners["quiver-" + m] = QuiverRunner(args, data, m)
    results = {e: {} for e in runners}
    try:
        for r in range(args.runs):
            print(f"round {r + 1} of {args.runs}...", flush=True)
            for engine, runner in runners.items():
                if engine == "duckdb" and r == 0:
                    results["duckdb"] = {n: dict(rec, times_ms=list(rec["times_ms"]))
                                         for n, rec in reference.items()}
                    continue
                runner.round(names, r == 0, results[engine], reference)
    finally:
        for runner in runners.values():
            if isinstance(runner, QuiverRunner):
                runner.close()

    print_table(names, results, modes, [p for p in peers if p in results])
    doc = {"sf": args.sf, "date": datetime.datetime.now().isoformat(timespec="seconds"),
           "runs": args.runs, "machine": {"cpus": os.cpu_count(), "system": platform.platform()},
           "engines": {}}
    for e, per_query in results.items():
        doc["engines"][e] = {
            n: {"status": r["status"], "median_ms": median(r), "times_ms": r.get("times_ms"),
                **({"error": r["error"]} if "error" in r else {})}
            for n, r in per_query.items()}
    out = Path(args.out) if args.out else (
        Path(args.build) / "tpch" / "results" /
        f"{datetime.datetime.now():%Y-%m-%d-%H%M%S}-sf{args.sf}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"\nwrote {out}")
    if args.baseline:
        print_baseline(doc, Path(args.baseline))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""TPC-H correctness: runs tests/tpch/queries/qNN.sql through build/quiver and compares with DuckDB.

    run_tpch_tests.py --quiver build/quiver [--sf 0.1] [--mode single|cluster] [--workers 4]
                      [--queries q01,q06] [--known-failures tests/tpch/known_failures.txt]

Generates the data once (scripts/gen_tpch.py into BUILD/tpch/sf<SF>), runs every query through
the quiver CLI with --format json (single node, or with --workers N in-process Flight workers),
gets the reference answer from DuckDB over the same Parquet files and prints one line per query:

    q01 single: ok (0.12 s)
    q05 single: FAIL: <first difference or the engine's error>
    q05 single: known failure (<reason>)

Exit status 0 when every query passes or fails as listed in the known-failures file, 1 when an
unlisted query fails or a listed one passes (remove it from the list).
"""
import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tpch_lib  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def run_quiver(args, data: Path, name: str):
    """(columns, rows, seconds) of query NAME through the quiver CLI; raises RuntimeError."""
    cmd = [args.quiver, "--format", "json", *tpch_lib.table_args(data)]
    if args.mode == "cluster":
        cmd += ["--workers", str(args.workers),
                "--set", f"distributed.bytes_per_partition={args.bytes_per_partition}"]
    cmd += ["-f", str(tpch_lib.QUERY_DIR / f"{name}.sql")]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"timed out after {args.timeout} s")
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        err = proc.stderr.strip().splitlines()
        raise RuntimeError((err[-1] if err else f"exit status {proc.returncode}")[:500])
    try:
        objects = json.loads(proc.stdout) if proc.stdout.strip() else []
    except json.JSONDecodeError as e:
        raise RuntimeError(f"output is not JSON ({e}): {proc.stdout[:200]!r}")
    if not objects:
        return None, [], seconds
    columns = list(objects[0].keys())
    return columns, [tuple(o[c] for c in columns) for o in objects], seconds


def check(args, data: Path, con, name: str):
    """(passed, message, seconds) for query NAME."""
    sql = tpch_lib.query_text(name)
    want_cols, want_rows = tpch_lib.duckdb_answer(con, sql)
    try:
        cols, rows, seconds = run_quiver(args, data, name)
    except RuntimeError as e:
        return False, str(e), None
    if cols is None:  # no rows: the JSON array carries no column names
        cols = want_cols
    diff = tpch_lib.compare(cols, rows, want_cols, want_rows,
                            tpch_lib.order_by_columns(sql, want_cols))
    return diff is None, diff, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiver", default=str(ROOT / "build" / "quiver"))
    parser.add_argument("--sf", default="0.1")
    parser.add_argument("--data", help="data directory (default: BUILD/tpch/sf<SF>, generated)")
    parser.add_argument("--mode", choices=["single", "cluster"], default="single")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--bytes-per-partition", default="1MB",
                        help="distributed.bytes_per_partition in cluster mode (default 1MB, so "
                        "that every table splits into several tasks)")
    parser.add_argument("--queries", help="comma-separated subset, e.g. q01,q06")
    parser.add_argument("--known-failures",
                        default=str(Path(__file__).resolve().parent / "known_failures.txt"))
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--query-dir", help="read qNN.sql from here instead of tests/tpch/queries")
    args = parser.parse_args()
    if args.query_dir:
        tpch_lib.QUERY_DIR = Path(args.query_dir).resolve()

    if args.data:
        data = Path(args.data)
    else:
        out = Path(args.quiver).resolve().parent / "tpch"
        gen = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_tpch.py"), "--sf",
                              args.sf, "--out", str(out)], capture_output=True, text=True)
        if gen.returncode != 0:
            print(f"tpch: data generation failed:\n{gen.stderr}", file=sys.stderr)
            return 1
        data = Path(gen.stdout.strip())
    known = tpch_lib.load_known_failures(Path(args.known_failures))
    names = args.queries.split(",") if args.queries else tpch_lib.query_names()
    con = tpch_lib.duckdb_connection(data)

    bad = 0
    counts = {"ok": 0, "known": 0, "fail": 0, "fixed": 0}
    for name in names:
        passed, msg, seconds = check(args, data, con, name)
        reason = known.get((name, args.mode))
        label = f"{name} {args.mode}"
        if passed and reason is None:
            counts["ok"] += 1
            print(f"{label}: ok ({seconds:.2f} s)", flush=True)
        elif passed:
            counts["fixed"] += 1
            bad += 1
            print(f"{label}: {name} now passes: remove it from known_failures.txt "
                  f"({seconds:.2f} s)", flush=True)
        elif reason is None:
            counts["fail"] += 1
            bad += 1
            print(f"{label}: FAIL: {msg}", flush=True)
        else:
            counts["known"] += 1
            print(f"{label}: known failure ({reason}): {msg}", flush=True)
    print(f"tpch sf{args.sf} {args.mode}: {counts['ok']} ok, {counts['known']} known failures, "
          f"{counts['fail']} unexpected failures, {counts['fixed']} listed but passing")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

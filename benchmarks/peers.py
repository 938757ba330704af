#!/usr/bin/env python3
"""Runs benchmarks/queries.txt on DuckDB and DataFusion (Python packages) over the same Parquet
files, reads quiver_bench's JSON results, and prints one table of medians and ratios.

Usage: peers.py DATA_DIR QUIVER_JSON [--runs K]. Ratios are quiver time / peer time from one run
on one machine (lower is better for quiver); compare ratios, not absolute times.
"""
import argparse
import json
import os
import statistics
import time

import datafusion
import duckdb


def load_queries(path):
    out = []
    for line in open(path):
        line = line.strip()
        if line and not line.startswith("#"):
            name, sql = line.split("|", 1)
            out.append((name, sql))
    return out


def time_runs(fn, runs):
    fn()  # warm-up (file cache, plan caches)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir")
    parser.add_argument("quiver_json")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    queries = load_queries(os.path.join(here, "queries.txt"))
    glob = os.path.join(args.data_dir, "*.parquet")

    duck = duckdb.connect()
    duck.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{glob}')")
    df_ctx = datafusion.SessionContext()
    df_ctx.register_parquet("t", args.data_dir + "/")
    rows = duck.sql("SELECT count(*) FROM t").fetchall()[0][0]

    quiver = {}
    with open(args.quiver_json) as fh:
        for b in json.load(fh)["benchmarks"]:
            if b.get("run_type", "iteration") == "iteration" and not b.get("error_occurred"):
                quiver[b["name"].split("/")[0]] = b["real_time"]

    print(f"\n{rows:,} rows; medians of {args.runs} runs in ms; ratio = quiver / peer")
    header = f"{'query':24} {'quiver':>9} {'duckdb':>9} {'datafusion':>11} {'q/duck':>7} {'q/df':>7} {'quiver Mrows/s':>15}"
    print(header)
    print("-" * len(header))
    totals = [0.0, 0.0, 0.0]
    for name, sql in queries:
        d = time_runs(lambda: duck.sql(sql).to_arrow_table(), args.runs)
        f = time_runs(lambda: df_ctx.sql(sql).to_arrow_table(), args.runs)
        q = quiver.get(name)
        if q is None:
            print(f"{name:24} {'failed':>9} {d:9.1f} {f:11.1f}")
            continue
        totals[0] += q
        totals[1] += d
        totals[2] += f
        print(f"{name:24} {q:9.1f} {d:9.1f} {f:11.1f} {q / d:7.2f} {q / f:7.2f} {rows / q / 1000:15.1f}")
    if totals[0] > 0:
        print("-" * len(header))
        print(f"{'total (succeeded)':24} {totals[0]:9.1f} {totals[1]:9.1f} {totals[2]:11.1f} "
              f"{totals[0] / totals[1]:7.2f} {totals[0] / totals[2]:7.2f}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the micro-benchmark table `t` as Parquet files (deterministic, no downloads).

Columns: a int64 uniform in [0, 1000), b float64 uniform in [0, 1), k_small int64 with 10
distinct values, k_large int64 with about `rows / 4` distinct values, s utf8 with 100 distinct
values. Usage: gen_benchdata.py OUT_DIR [ROWS] (default 4,000,000 rows in 4 files).
"""
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def main() -> int:
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 4_000_000
    files = 4
    stamp = os.path.join(out, ".rows")
    if os.path.exists(stamp) and open(stamp).read().strip() == str(rows):
        return 0
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261122)
    per_file = rows // files
    words = np.array([f"item_{i:03d}" for i in range(100)])
    for f in range(files):
        n = per_file if f < files - 1 else rows - per_file * (files - 1)
        table = pa.table({
            "a": rng.integers(0, 1000, n, dtype=np.int64),
            "b": rng.random(n),
            "k_small": rng.integers(0, 10, n, dtype=np.int64),
            "k_large": rng.integers(0, max(1, rows // 4), n, dtype=np.int64),
            "s": pa.array(words[rng.integers(0, 100, n)]),
        })
        pq.write_table(table, os.path.join(out, f"part-{f}.parquet"), row_group_size=256 * 1024)
    with open(stamp, "w") as fh:
        fh.write(str(rows))
    print(f"gen_benchdata: {rows} rows in {files} files under {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

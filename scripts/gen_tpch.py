#!/usr/bin/env python3
"""Generates TPC-H data as multi-file Parquet, once per scale factor.

    scripts/gen_tpch.py --sf 0.1 [--parts 4] [--out build/tpch]

writes OUT/sf<SF>/<table>/<table>.<n>.parquet for the eight TPC-H tables with tpchgen-cli
(pinned in scripts/requirements.txt) and prints the data directory. A stamp file
OUT/sf<SF>/.stamp records the generator version and options; a second run with the same ones does
nothing. tpchgen-cli writes strings as Arrow string_view; they are rewritten as plain utf8 strings
(the types every engine reads the same way), keeping decimals, dates and nullability.
"""
import argparse
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

TABLES = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"]
FORMAT_VERSION = "1"  # bump when the conversion below changes


def sf_name(sf: str) -> str:
    """The directory name of a scale factor: 1 -> sf1, 0.1 -> sf0.1."""
    value = float(sf)
    return "sf" + (str(int(value)) if value == int(value) else str(value))


def tpchgen() -> str:
    """The tpchgen-cli next to this Python (the .venv), else on PATH."""
    here = Path(sys.executable).parent / "tpchgen-cli"
    if here.exists():
        return str(here)
    found = shutil.which("tpchgen-cli")
    if not found:
        sys.exit("gen_tpch: tpchgen-cli not found; run scripts/setup.sh")
    return found


def plain_strings(schema: pa.Schema) -> pa.Schema:
    """The schema with string_view/large_string fields as utf8 and no pandas/Arrow metadata."""
    fields = []
    for f in schema:
        t = f.type
        if pa.types.is_string_view(t) or pa.types.is_large_string(t):
            t = pa.string()
        fields.append(pa.field(f.name, t, nullable=f.nullable))
    return pa.schema(fields)


def convert(src: Path, dst: Path) -> None:
    """Rewrites one Parquet file with plain strings, one row group per source row group."""
    reader = pq.ParquetFile(src)
    schema = plain_strings(reader.schema_arrow)
    with pq.ParquetWriter(dst, schema, compression="snappy", store_schema=False) as writer:
        for i in range(reader.num_row_groups):
            writer.write_table(reader.read_row_group(i).cast(schema))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sf", default="0.1", help="scale factor (default 0.1)")
    parser.add_argument("--parts", type=int, default=4, help="files per table (default 4)")
    parser.add_argument("--out", default="build/tpch", help="output root (default build/tpch)")
    args = parser.parse_args()

    data = Path(args.out) / sf_name(args.sf)
    gen = tpchgen()
    version = subprocess.run([gen, "--version"], capture_output=True, text=True,
                             check=True).stdout.strip()
    want = f"{version} sf={args.sf} parts={args.parts} format={FORMAT_VERSION}\n"
    stamp = data / ".stamp"
    if stamp.exists() and stamp.read_text() == want:
        print(data)
        return 0
    # One generator at a time per output root (parallel tests may ask for the same data).
    data.parent.mkdir(parents=True, exist_ok=True)
    with open(data.parent / f".{data.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (stamp.exists() and stamp.read_text() == want):
            generate(gen, args, data)
            stamp.write_text(want)
    print(data)
    return 0


def generate(gen: str, args: argparse.Namespace, data: Path) -> None:
    """Runs tpchgen-cli into a temporary directory, converts the files, moves them to DATA."""
    if data.exists():
        shutil.rmtree(data)
    with tempfile.TemporaryDirectory(dir=data.parent, prefix=".gen-") as tmp:
        subprocess.run([gen, "parquet", "-s", str(args.sf), "--parts", str(args.parts), "-o", tmp,
                        "--no-progress", "--quiet"], check=True)
        staged = Path(tmp) / "out"
        for table in TABLES:
            files = sorted((Path(tmp) / table).glob("*.parquet"))
            if not files:
                sys.exit(f"gen_tpch: tpchgen-cli wrote no files for table {table}")
            (staged / table).mkdir(parents=True)
            for f in files:
                convert(f, staged / table / f.name)
        os.replace(staged, data)


if __name__ == "__main__":
    sys.exit(main())

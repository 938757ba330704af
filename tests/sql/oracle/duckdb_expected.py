#!/usr/bin/env python3
"""Fill in the expected results of .slt files by running their queries on DuckDB.

Quiver's sqllogictest corpus (tests/sql/*.slt) must not take its expected results from Quiver
itself. This script runs every record of an .slt file on DuckDB (an independent engine) with the
same data files, renders each result with the rules of Quiver's runner
(tests/sqllogictest/slt_format.h) and writes it into the record's expected block:

    .venv/bin/python tests/sql/oracle/duckdb_expected.py tests/sql/aggregate.slt   # rewrite
    .venv/bin/python tests/sql/oracle/duckdb_expected.py --check tests/sql/*.slt   # compare only

Run it from the repository root (the .slt files name data as `testdata/...`). Every answer is
then reviewed by hand: where DuckDB and PostgreSQL differ, the file follows PostgreSQL and the
record carries a `# note:` comment plus one of the directives below.

DuckDB is configured to behave like PostgreSQL where a setting exists:
  * `SET integer_division = true`: `/` on integers is integer division (truncating);
  * `SET default_null_order = 'nulls_last_on_asc_first_on_desc'`: NULLS LAST for ASC and
    NULLS FIRST for DESC, as in PostgreSQL.

SQL is translated before it is sent to DuckDB:
  * `read_parquet('dir')` / `read_csv('dir')` / `read_json('dir')` on a directory become a glob
    over the files inside (`dir/*.parquet`, ...);
  * the PostgreSQL names of VALUES columns, `column1`, `column2`, ..., become DuckDB's `col0`,
    `col1`, ....

Directives are comment lines placed directly above a record (the runner ignores them):
  * `# oracle: skip` - do not run the record on DuckDB; its expected block is written by hand
    (for statements DuckDB does not have, such as `SHOW execution.batch_size`, or where DuckDB's
    answer differs from PostgreSQL's);
  * `# oracle-sql: <sql>` - run this SQL on DuckDB instead of the record's own (the lines of
    several such comments are joined).

For error records (`statement error`, `query error`) nothing is written; with `--verbose` the
script reports whether DuckDB fails too. A `statement ok` that fails on DuckDB, or a query whose
column count differs from its type letters, is reported as a warning.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import math
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

FRACTION_DIGITS = 12
DUCKDB_SETTINGS = [
    "SET integer_division = true",
    "SET default_null_order = 'nulls_last_on_asc_first_on_desc'",
]

decimal.getcontext().prec = 200


# --- rendering (mirrors tests/sqllogictest/slt_format.cc) -------------------------------------


def format_decimal(value: decimal.Decimal) -> str:
    """Rounds to 12 decimals (half to even) and strips trailing zeros, like format_decimal_text."""
    if value.is_nan():
        return "NaN"
    if value.is_infinite():
        return "Infinity" if value > 0 else "-Infinity"
    rounded = value.quantize(decimal.Decimal(1).scaleb(-FRACTION_DIGITS),
                             rounding=decimal.ROUND_HALF_EVEN)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def format_double(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    # The runner starts from the shortest text that reads back as the same double
    # (std::to_chars(fixed) without a precision), which is Python's repr, not Decimal(float).
    return format_decimal(decimal.Decimal(repr(value)))


def format_time_of_day(t: dt.time) -> str:
    text = f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    micros = t.microsecond
    if micros:
        text += f".{micros // 1000:03d}" if micros % 1000 == 0 else f".{micros:06d}"
    return text


def format_cell(value, top_level: bool) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_double(value)
    if isinstance(value, decimal.Decimal):
        return format_decimal(value)
    if isinstance(value, str):
        return "(empty)" if (value == "" and top_level) else value
    if isinstance(value, dt.datetime):
        text = value.date().isoformat() + "T" + format_time_of_day(value.time())
        if value.tzinfo is not None:
            offset = value.utcoffset() or dt.timedelta(0)
            seconds = int(offset.total_seconds())
            if seconds == 0:
                text += "Z"
            else:
                sign = "-" if seconds < 0 else "+"
                seconds = abs(seconds)
                text += f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}"
        return text
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return format_time_of_day(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_cell(v, False) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{format_cell(k, False)}: {format_cell(v, False)}"
                               for k, v in value.items()) + "}"
    return str(value)


def type_letter(duck_type: str) -> str:
    t = str(duck_type).upper()
    if t in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
             "UINTEGER", "UBIGINT", "UHUGEINT"):
        return "I"
    if t in ("FLOAT", "DOUBLE") or t.startswith("DECIMAL"):
        return "R"
    if t == "VARCHAR":
        return "T"
    if t == "BOOLEAN":
        return "B"
    if t == "DATE" or t.startswith("TIMESTAMP"):
        return "D"
    return "?"


def arrange(rows: list[list[str]], sort_mode: str) -> list[str]:
    if sort_mode == "valuesort":
        lines = [cell.rstrip() for row in rows for cell in row]
    else:
        lines = [" ".join(row).rstrip() for row in rows]
    if sort_mode in ("rowsort", "valuesort"):
        lines.sort(key=lambda s: s.encode("utf-8"))
    return lines


# --- parsing -----------------------------------------------------------------------------------


@dataclass
class Record:
    kind: str                  # "statement" or "query"
    header_index: int          # 0-based line index of the header
    header_words: list[str]
    sql_lines: list[str]
    directives: list[str]      # comment lines directly above the header
    sep_index: int | None = None      # index of `----`, if any
    end_index: int = 0                 # index one past the record's last line
    expected: list[str] = field(default_factory=list)

    @property
    def expect_error(self) -> bool:
        return len(self.header_words) > 1 and self.header_words[1] == "error"

    @property
    def types(self) -> str:
        return self.header_words[1] if self.kind == "query" and not self.expect_error else ""

    @property
    def sort_mode(self) -> str:
        for word in self.header_words[2:]:
            if word.startswith("#"):
                break
            if word in ("nosort", "rowsort", "valuesort"):
                return word
        return "nosort"

    @property
    def sql(self) -> str:
        return "\n".join(self.sql_lines)


def parse(lines: list[str]) -> list[Record]:
    records: list[Record] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped == "halt":
            break
        words = stripped.split()
        if not words or words[0] not in ("statement", "query"):
            i += 1
            continue
        directives = []
        k = i - 1
        while k >= 0 and lines[k].strip().startswith(("#", "skipif", "onlyif")):
            directives.insert(0, lines[k].strip())
            k -= 1
        record = Record(words[0], i, words, [], directives)
        i += 1
        while i < len(lines) and lines[i].strip() and lines[i].strip() != "----":
            if not lines[i].strip().startswith("#"):
                record.sql_lines.append(lines[i].rstrip())
            i += 1
        if i < len(lines) and lines[i].strip() == "----":
            record.sep_index = i
            i += 1
            while i < len(lines) and lines[i].strip():
                record.expected.append(lines[i].rstrip())
                i += 1
        record.end_index = i
        records.append(record)
    return records


# --- translation to DuckDB ----------------------------------------------------------------------

TABLE_FUNCTION = re.compile(r"\b(read_parquet|read_csv|read_json)\s*\(\s*'([^']*)'")
VALUES_COLUMN = re.compile(r"\bcolumn([1-9][0-9]*)\b")
GLOB_EXTENSION = {"read_parquet": "*.parquet", "read_csv": "*.csv", "read_json": "*.*json"}


def to_duckdb(sql: str) -> str:
    def table_function(match: re.Match) -> str:
        name, path = match.group(1), match.group(2)
        if os.path.isdir(path):
            path = path.rstrip("/") + "/" + GLOB_EXTENSION[name]
        return f"{name}('{path}'"

    sql = TABLE_FUNCTION.sub(table_function, sql)
    return VALUES_COLUMN.sub(lambda m: f"col{int(m.group(1)) - 1}", sql)


def oracle_sql(record: Record) -> str | None:
    """Returns the SQL to run on DuckDB, or None when the record is not run there."""
    override = []
    for line in record.directives:
        body = line.lstrip("#").strip()
        if body == "oracle: skip":
            return None
        if body.startswith("oracle-sql:"):
            override.append(body[len("oracle-sql:"):].strip())
    return to_duckdb("\n".join(override) if override else record.sql)


# --- driver -------------------------------------------------------------------------------------


def process(path: Path, check: bool, verbose: bool) -> tuple[int, int]:
    """Returns (records whose expected block changed, warnings)."""
    lines = path.read_text().split("\n")
    records = parse(lines)
    con = duckdb.connect()
    for setting in DUCKDB_SETTINGS:
        con.execute(setting)
    replacements: list[tuple[Record, list[str]]] = []
    changed = warnings = 0
    for record in records:
        if any(d.startswith("skipif quiver") or d.startswith("onlyif") for d in record.directives):
            continue
        sql = oracle_sql(record)
        where = f"{path}:{record.header_index + 1}"
        if sql is None:
            continue
        try:
            cursor = con.execute(sql)
            rows = cursor.fetchall() if cursor.description else []
            description = cursor.description or []
            error = None
        except duckdb.Error as e:  # noqa: PERF203
            rows, description, error = [], [], str(e).splitlines()[0]
        if record.expect_error:
            if verbose:
                print(f"{where}: DuckDB {'fails too: ' + error if error else 'succeeds'}")
            continue
        if error is not None:
            print(f"{where}: warning: DuckDB failed: {error}")
            warnings += 1
            continue
        if record.kind == "statement":
            continue
        letters = "".join(type_letter(d[1]) for d in description)
        if len(letters) != len(record.types):
            print(f"{where}: warning: {len(record.types)} type letter(s) '{record.types}' but "
                  f"DuckDB returns {len(letters)} column(s) ({letters})")
            warnings += 1
        elif verbose and letters != record.types:
            print(f"{where}: note: DuckDB column types read as {letters}, file says "
                  f"{record.types}")
        rendered = arrange([[format_cell(v, True) for v in row] for row in rows],
                           record.sort_mode)
        old = record.expected
        if record.sort_mode != "nosort":
            old = sorted(old, key=lambda s: s.encode("utf-8"))
        if rendered != old or record.sep_index is None:
            changed += 1
            if check:
                print(f"{where}: expected block differs from DuckDB's answer")
                for line in record.expected:
                    print(f"  - {line}")
                for line in rendered:
                    print(f"  + {line}")
            replacements.append((record, rendered))
    if not check and replacements:
        out: list[str] = []
        cursor_index = 0
        for record, rendered in replacements:
            body_end = record.sep_index if record.sep_index is not None else record.end_index
            out.extend(lines[cursor_index:body_end])
            out.append("----")
            out.extend(rendered)
            cursor_index = record.end_index
        out.extend(lines[cursor_index:])
        path.write_text("\n".join(out))
    return changed, warnings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true",
                        help="only report records whose expected block differs from DuckDB")
    parser.add_argument("--verbose", action="store_true",
                        help="also report error records and type-letter differences")
    args = parser.parse_args()
    total_changed = total_warnings = 0
    for path in args.files:
        changed, warnings = process(path, args.check, args.verbose)
        total_changed += changed
        total_warnings += warnings
        verb = "differ" if args.check else "updated"
        print(f"{path}: {changed} record(s) {verb}, {warnings} warning(s)")
    return 1 if (args.check and total_changed) or total_warnings else 0


if __name__ == "__main__":
    sys.exit(main())

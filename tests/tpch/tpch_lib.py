"""Shared pieces of the TPC-H tests and benchmark: tables, queries, reference answers, comparison.

Results are lists of rows (tuples of Python values). Comparison rules:
- numbers (int, float, Decimal) match within a relative tolerance (1e-6 by default), integers
  against integers exactly; an engine's Decimal also matches a reference within one unit of its
  own last place, i.e. the reference rounded or truncated to the Decimal's scale (DataFusion's
  AVG of DECIMAL(15,2) is a truncated DECIMAL(19,6): 0.049996 for 0.0499966);
- dates compare as ISO strings ("1995-03-15"), strings and NULLs exactly;
- a query whose outermost ORDER BY names output columns is compared in that order, rows with
  equal sort keys as a multiset (ties may come in any order); other queries as multisets.
"""
import datetime
import decimal
import re
from pathlib import Path

TABLES = ["region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"]
QUERY_DIR = Path(__file__).resolve().parent / "queries"
REL_TOL = 1e-6
ABS_TOL = 1e-9


def query_names() -> list:
    """The query names q01..q22 found in tests/tpch/queries."""
    return sorted(p.stem for p in QUERY_DIR.glob("q*.sql"))


def query_text(name: str) -> str:
    """The SQL of query NAME (e.g. "q01")."""
    return (QUERY_DIR / f"{name}.sql").read_text()


def table_args(data: Path) -> list:
    """The quiver CLI flags registering every TPC-H table under DATA (one directory each)."""
    args = []
    for t in TABLES:
        args += ["--table", f"{t}={Path(data) / t}"]
    return args


def duckdb_connection(data: Path):
    """A DuckDB connection with one view per TPC-H table over the Parquet files under DATA."""
    import duckdb  # pinned in scripts/requirements.txt

    con = duckdb.connect()
    for t in TABLES:
        con.execute(f"CREATE VIEW {t} AS SELECT * FROM read_parquet('{Path(data) / t}/*.parquet')")
    return con


def duckdb_answer(con, sql: str):
    """(column names, rows) of SQL on DuckDB connection CON."""
    cur = con.execute(sql)
    return [d[0] for d in cur.description], cur.fetchall()


def order_by_columns(sql: str, columns: list):
    """Indexes into COLUMNS of the outermost ORDER BY keys, or None when there is no ORDER BY.

    Only the last ORDER BY of the text counts (TPC-H queries end with it); every key must be an
    output column name, otherwise the ordering is not checked beyond the multiset.
    """
    text = re.sub(r"--[^\n]*", "", sql).lower()
    m = list(re.finditer(r"\border\s+by\b", text))
    if not m:
        return None
    tail = text[m[-1].end():]
    if ")" in tail:  # the last ORDER BY is inside a subquery
        return None
    tail = re.split(r"\blimit\b|;", tail)[0]
    names = [c.lower() for c in columns]
    keys = []
    for part in tail.split(","):
        word = part.split()[0] if part.split() else ""
        if word not in names:
            return None
        keys.append(names.index(word))
    return keys


def _norm(v):
    """A value in the comparable form: numbers as int/float, dates as ISO strings."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    return v


def values_match(a, b) -> bool:
    """Whether engine value A matches reference value B (see the module comment)."""
    numeric_b = isinstance(b, (int, float, decimal.Decimal)) and not isinstance(b, bool)
    if isinstance(a, decimal.Decimal) and a.is_finite() and numeric_b:
        exponent = a.as_tuple().exponent
        if exponent < 0:
            # Less than one unit in A's last place: B rounded or truncated to A's scale.
            unit = decimal.Decimal(1).scaleb(exponent)
            if abs(a - decimal.Decimal(b)) < unit:
                return True
    a, b = _norm(a), _norm(b)
    num = (int, float)
    if isinstance(a, num) and isinstance(b, num) and not isinstance(a, bool):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        return abs(a - b) <= max(REL_TOL * max(abs(a), abs(b)), ABS_TOL)
    return a == b


def _sort_key(row):
    """A key that sorts rows of equal values (within tolerance, mostly) next to each other."""
    out = []
    for v in row:
        v = _norm(v)
        if v is None:
            out.append((0, ""))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out.append((1, float(f"{float(v):.5e}")))
        else:
            out.append((2, str(v)))
    return out


def _row_text(row) -> str:
    return "(" + ", ".join("NULL" if v is None else str(_norm(v)) for v in row) + ")"


def _compare_multiset(got, want, offset: int):
    """The first difference between two row multisets, or None."""
    got_s, want_s = sorted(got, key=_sort_key), sorted(want, key=_sort_key)
    for i, (g, w) in enumerate(zip(got_s, want_s)):
        if not all(values_match(x, y) for x, y in zip(g, w)):
            return (f"rows differ (compared unordered from row {offset + 1}): "
                    f"got {_row_text(g)}, want {_row_text(w)}")
    return None


def compare(got_cols, got_rows, want_cols, want_rows, order_keys):
    """The first difference between the engine's result and the reference, or None."""
    if [c.lower() for c in got_cols] != [c.lower() for c in want_cols]:
        return f"columns {got_cols} != expected {want_cols}"
    if len(got_rows) != len(want_rows):
        return f"{len(got_rows)} rows, expected {len(want_rows)}"
    for i, (g, w) in enumerate(zip(got_rows, want_rows)):
        if len(g) != len(w):
            return f"row {i + 1} has {len(g)} values, expected {len(w)}"
    if order_keys is None:
        return _compare_multiset(got_rows, want_rows, 0)
    # In order by the sort keys; rows with equal keys (a tie group) as a multiset.
    start = 0
    while start < len(want_rows):
        end = start + 1
        while end < len(want_rows) and all(
                values_match(want_rows[end][k], want_rows[start][k]) for k in order_keys):
            end += 1
        for i in range(start, end):
            if not all(values_match(got_rows[i][k], want_rows[i][k]) for k in order_keys):
                return (f"row {i + 1}: got {_row_text(got_rows[i])}, "
                        f"want {_row_text(want_rows[i])}")
        diff = _compare_multiset(got_rows[start:end], want_rows[start:end], start)
        if diff:
            return diff
        start = end
    return None


def load_known_failures(path: Path) -> dict:
    """{(query, mode): reason} from a known-failures file.

    Lines are `QUERY MODE: reason`, MODE one of `single`, `cluster` or `all`; `#` starts a
    comment. Malformed lines raise ValueError naming the line.
    """
    known = {}
    if not Path(path).exists():
        return known
    for n, line in enumerate(Path(path).read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"(q\d\d)\s+(single|cluster|all)\s*:\s*(.+)", line)
        if not m:
            raise ValueError(f"{path}:{n}: expected 'qNN single|cluster|all: reason', got '{line}'")
        query, mode, reason = m.groups()
        for md in (["single", "cluster"] if mode == "all" else [mode]):
            known[(query, md)] = reason
    return known

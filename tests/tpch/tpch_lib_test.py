#!/usr/bin/env python3
"""Unit tests of tpch_lib: the ORDER BY key finder, the comparison and the known-failures file."""
import datetime
import decimal
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tpch_lib  # noqa: E402


class OrderByColumnsTest(unittest.TestCase):
    def test_keys_of_the_outermost_order_by(self):
        sql = "select a, b, c from t order by c desc, a limit 10;"
        self.assertEqual(tpch_lib.order_by_columns(sql, ["a", "b", "c"]), [2, 0])

    def test_no_order_by(self):
        self.assertIsNone(tpch_lib.order_by_columns("select sum(x) as s from t;", ["s"]))

    def test_order_by_only_in_a_subquery(self):
        sql = "select a from (select a from t order by a limit 3) s where a > 1"
        self.assertIsNone(tpch_lib.order_by_columns(sql, ["a"]))

    def test_comment_mentioning_order_by_is_ignored(self):
        sql = "-- order by nothing\nselect a from t"
        self.assertIsNone(tpch_lib.order_by_columns(sql, ["a"]))

    def test_tpch_queries_without_order_by_are_the_one_row_ones(self):
        unordered = [n for n in tpch_lib.query_names()
                     if "order by" not in tpch_lib.query_text(n).lower()]
        self.assertEqual(unordered, ["q06", "q14", "q17", "q19"])


class CompareTest(unittest.TestCase):
    def test_equal_within_tolerance(self):
        got = [("A", 1.0000001, 3, "1995-03-15")]
        want = [("A", decimal.Decimal("1.0000000"), 3, datetime.date(1995, 3, 15))]
        self.assertIsNone(tpch_lib.compare(["s", "x", "n", "d"], got, ["s", "x", "n", "d"], want,
                                           [0]))

    def test_number_outside_tolerance(self):
        diff = tpch_lib.compare(["x"], [(1.00001,)], ["x"], [(1.0,)], None)
        self.assertIn("got (1.00001), want (1.0)", diff)

    def test_decimal_rounded_or_truncated_to_its_scale(self):
        want = [(0.04999658605370408,)]
        for got in ("0.049996", "0.049997"):  # truncated, rounded
            self.assertIsNone(tpch_lib.compare(["x"], [(decimal.Decimal(got),)], ["x"], want,
                                               None), got)
        for got in ("0.049995", "0.049998"):
            self.assertIsNotNone(tpch_lib.compare(["x"], [(decimal.Decimal(got),)], ["x"],
                                                  want, None), got)
        # A float with the same digits is held to the relative tolerance.
        self.assertIsNotNone(tpch_lib.compare(["x"], [(0.049996,)], ["x"], want, None))

    def test_integers_compare_exactly(self):
        self.assertIsNotNone(tpch_lib.compare(["n"], [(10000001,)], ["n"], [(10000000,)], None))

    def test_strings_exactly(self):
        self.assertIsNotNone(tpch_lib.compare(["s"], [("a ",)], ["s"], [("a",)], None))

    def test_null_is_not_empty_string(self):
        self.assertIsNotNone(tpch_lib.compare(["s"], [(None,)], ["s"], [("",)], None))

    def test_row_count_and_columns(self):
        self.assertEqual(tpch_lib.compare(["a"], [(1,)], ["a"], [(1,), (2,)], None),
                         "1 rows, expected 2")
        self.assertIn("columns", tpch_lib.compare(["b"], [(1,)], ["a"], [(1,)], None))

    def test_order_matters_with_order_by(self):
        want = [(1, "x"), (2, "y")]
        got = [(2, "y"), (1, "x")]
        self.assertIn("row 1", tpch_lib.compare(["k", "v"], got, ["k", "v"], want, [0]))
        self.assertIsNone(tpch_lib.compare(["k", "v"], got, ["k", "v"], want, None))

    def test_ties_may_come_in_any_order(self):
        want = [(1, "x"), (1, "y"), (2, "z")]
        got = [(1, "y"), (1, "x"), (2, "z")]
        self.assertIsNone(tpch_lib.compare(["k", "v"], got, ["k", "v"], want, [0]))
        got_bad = [(1, "y"), (1, "q"), (2, "z")]
        self.assertIsNotNone(tpch_lib.compare(["k", "v"], got_bad, ["k", "v"], want, [0]))


class KnownFailuresTest(unittest.TestCase):
    def test_parse(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("# comment\nq01 all: intervals\nq05 cluster: joins # why\n\n")
        known = tpch_lib.load_known_failures(Path(f.name))
        self.assertEqual(known, {("q01", "single"): "intervals", ("q01", "cluster"): "intervals",
                                 ("q05", "cluster"): "joins"})

    def test_malformed_line_names_the_line(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("q01 all: ok\nq2 single reason\n")
        with self.assertRaisesRegex(ValueError, r":2: expected"):
            tpch_lib.load_known_failures(Path(f.name))

    def test_the_checked_in_list_parses(self):
        known = tpch_lib.load_known_failures(Path(__file__).resolve().parent /
                                             "known_failures.txt")
        for (query, _mode) in known:
            self.assertIn(query, tpch_lib.query_names())


if __name__ == "__main__":
    unittest.main()

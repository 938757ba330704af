// SelectiveConjunction (FilterExec's conjunct-by-conjunct evaluation) keeps exactly the rows for
// which the whole predicate is TRUE: NULL conjuncts drop a row, constant conjuncts keep or drop
// everything, and the adaptive reordering across batches never changes the result.
#include "quiver/exec/filter/selective_conjunction.h"

#include <arrow/api.h>
#include <arrow/compute/api_vector.h>
#include <gtest/gtest.h>

#include <random>

#include "quiver/physical/expr/binary_expr.h"
#include "quiver/physical/expr/column_expr.h"
#include "quiver/physical/expr/is_null_expr.h"
#include "quiver/physical/expr/literal_expr.h"

namespace quiver::exec {
namespace {

using logical::BinaryOp;
using physical::make_binary;
using physical::make_column;
using physical::make_literal;

std::shared_ptr<arrow::Schema> schema() {
  return arrow::schema({arrow::field("a", arrow::int64()), arrow::field("s", arrow::utf8()),
                        arrow::field("b", arrow::boolean())});
}

// Random rows: a in [0, 10) or NULL, s in {x, y, z} or NULL, b true/false/NULL.
std::shared_ptr<arrow::RecordBatch> random_batch(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  arrow::Int64Builder a;
  arrow::StringBuilder s;
  arrow::BooleanBuilder b;
  for (int64_t i = 0; i < n; ++i) {
    EXPECT_TRUE((rng() % 7 == 0 ? a.AppendNull() : a.Append(rng() % 10)).ok());
    const char* names[] = {"x", "y", "z"};
    EXPECT_TRUE((rng() % 9 == 0 ? s.AppendNull() : s.Append(names[rng() % 3])).ok());
    EXPECT_TRUE((rng() % 5 == 0 ? b.AppendNull() : b.Append(rng() % 2 == 0)).ok());
  }
  return arrow::RecordBatch::Make(
      schema(), n, {a.Finish().ValueOrDie(), s.Finish().ValueOrDie(), b.Finish().ValueOrDie()});
}

// The rows the whole predicate keeps, by evaluating it at once (FilterExec's former path).
std::shared_ptr<arrow::RecordBatch> reference(const physical::PhysicalExprPtr& predicate,
                                              const std::shared_ptr<arrow::RecordBatch>& batch) {
  auto mask = predicate->evaluate(*batch).ValueOrDie();
  return arrow::compute::Filter(batch, mask).ValueOrDie().record_batch();
}

void expect_same_rows(const physical::PhysicalExprPtr& predicate, int batches) {
  SelectiveConjunction conjunction(predicate);
  for (int i = 0; i < batches; ++i) {
    auto batch = random_batch(200 + 37 * i, static_cast<uint32_t>(i));
    auto got = conjunction.filter(batch).ValueOrDie();
    auto want = reference(predicate, batch);
    ASSERT_TRUE(got->Equals(*want)) << predicate->to_string() << " batch " << i << "\n"
                                    << got->ToString() << "\nwant\n"
                                    << want->ToString();
  }
}

physical::PhysicalExprPtr a() { return make_column("a", 0); }
physical::PhysicalExprPtr s() { return make_column("s", 1); }
physical::PhysicalExprPtr b() { return make_column("b", 2); }
physical::PhysicalExprPtr i64(int64_t v) {
  return make_literal(std::make_shared<arrow::Int64Scalar>(v));
}
physical::PhysicalExprPtr text(const std::string& v) {
  return make_literal(std::make_shared<arrow::StringScalar>(v));
}

TEST(SelectiveConjunctionTest, KeepsExactlyTheRowsWhereEveryConjunctIsTrue) {
  // a > 2 AND s = 'x' AND b AND (a < 8 OR s IS NULL): NULLs in every column.
  auto predicate =
      make_binary(make_binary(make_binary(make_binary(a(), BinaryOp::kGt, i64(2)), BinaryOp::kAnd,
                                          make_binary(s(), BinaryOp::kNotEq, text("x"))),
                              BinaryOp::kAnd, b()),
                  BinaryOp::kAnd,
                  make_binary(make_binary(a(), BinaryOp::kLt, i64(8)), BinaryOp::kOr,
                              physical::make_is_null(s())));
  EXPECT_EQ(SelectiveConjunction(predicate).size(), 4u);
  expect_same_rows(predicate, 30);
}

TEST(SelectiveConjunctionTest, NarrowsToFewRowsTwiceAndStaysExact) {
  // a = 3 keeps about a tenth of the rows (so later conjuncts run on the taken rows), then
  // s IN-like OR keeps fewer, then b, with NULLs everywhere.
  auto predicate = make_binary(make_binary(make_binary(a(), BinaryOp::kEq, i64(3)), BinaryOp::kAnd,
                                           make_binary(make_binary(s(), BinaryOp::kEq, text("y")),
                                                       BinaryOp::kOr, physical::make_is_null(s()))),
                               BinaryOp::kAnd, b());
  expect_same_rows(predicate, 30);
}

TEST(SelectiveConjunctionTest, SingleAndConstantConjuncts) {
  expect_same_rows(make_binary(a(), BinaryOp::kGtEq, i64(5)), 5);
  auto always = make_literal(std::make_shared<arrow::BooleanScalar>(true));
  auto never = make_literal(std::make_shared<arrow::BooleanScalar>(false));
  auto null = make_literal(std::make_shared<arrow::BooleanScalar>());
  expect_same_rows(make_binary(always, BinaryOp::kAnd, make_binary(a(), BinaryOp::kLt, i64(5))), 5);
  SelectiveConjunction none(
      make_binary(make_binary(a(), BinaryOp::kLt, i64(5)), BinaryOp::kAnd, never));
  EXPECT_EQ(none.filter(random_batch(100, 1)).ValueOrDie()->num_rows(), 0);
  SelectiveConjunction unknown(make_binary(null, BinaryOp::kAnd, b()));
  EXPECT_EQ(unknown.filter(random_batch(100, 2)).ValueOrDie()->num_rows(), 0);
}

TEST(SelectiveConjunctionTest, AllRowsKeptReturnsTheBatchItself) {
  auto batch = random_batch(50, 3);
  SelectiveConjunction conjunction(make_binary(make_binary(a(), BinaryOp::kLt, i64(100)),
                                               BinaryOp::kOr, physical::make_is_null(a())));
  EXPECT_EQ(conjunction.filter(batch).ValueOrDie(), batch);
}

}  // namespace
}  // namespace quiver::exec

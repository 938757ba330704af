#include "quiver/exec/filter/selective_conjunction.h"

#include <arrow/array.h>
#include <arrow/buffer.h>
#include <arrow/scalar.h>
#include <arrow/util/bit_run_reader.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/bitmap_ops.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "quiver/exec/filter/row_runs.h"
#include "quiver/physical/expr/binary_expr.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::exec {

namespace {

void split_and(const physical::PhysicalExprPtr& e, std::vector<physical::PhysicalExprPtr>* out) {
  if (auto* b = dynamic_cast<const physical::BinaryExpr*>(e.get());
      b != nullptr && b->op() == logical::BinaryOp::kAnd) {
    split_and(b->left(), out);
    split_and(b->right(), out);
    return;
  }
  out->push_back(e);
}

void collect_columns(const physical::PhysicalExpr& e, std::set<int>* out) {
  if (auto* c = dynamic_cast<const physical::ColumnExpr*>(&e)) out->insert(c->index());
  for (const auto& child : e.children()) collect_columns(*child, out);
}

// Narrowing to the selected rows (a take per column) pays once at most this fraction is left.
constexpr double kNarrowBelow = 0.25;

// Writes into `bits` (bit i from bit 0) whether row i of `mask` (a boolean array or scalar over
// `rows` rows) is TRUE; returns how many are.
int64_t true_bits(const arrow::Datum& mask, int64_t rows, std::vector<uint8_t>* bits) {
  bits->assign(static_cast<size_t>(arrow::bit_util::BytesForBits(rows)), 0);
  if (mask.is_scalar()) {
    const auto& s = *mask.scalar();
    const bool all = s.is_valid && s.type->id() == arrow::Type::BOOL &&
                     static_cast<const arrow::BooleanScalar&>(s).value;
    if (!all) return 0;
    arrow::bit_util::SetBitsTo(bits->data(), 0, rows, true);
    return rows;
  }
  const std::shared_ptr<arrow::Array> array = mask.make_array();
  if (array->type_id() != arrow::Type::BOOL) return 0;  // an all-NULL (null-typed) mask
  const auto& bools = static_cast<const arrow::BooleanArray&>(*array);
  const uint8_t* values = bools.values()->data();
  const int64_t offset = bools.offset();
  if (bools.null_count() > 0) {
    arrow::internal::BitmapAnd(values, offset, bools.null_bitmap_data(), offset, rows, 0,
                               bits->data());
  } else {
    arrow::internal::CopyBitmap(values, offset, rows, bits->data(), 0);
  }
  return arrow::internal::CountSetBits(bits->data(), 0, rows);
}

// Returns the rows set in `bits` (over `rows` rows), as `selection[i]` (or i without one).
std::vector<int32_t> set_rows(const std::vector<uint8_t>& bits, int64_t rows,
                              const std::vector<int32_t>* selection, int64_t count) {
  std::vector<int32_t> out;
  out.reserve(static_cast<size_t>(count));
  arrow::internal::VisitSetBitRunsVoid(bits.data(), 0, rows, [&](int64_t pos, int64_t len) {
    for (int64_t i = pos; i < pos + len; ++i) {
      out.push_back(selection != nullptr ? (*selection)[static_cast<size_t>(i)]
                                         : static_cast<int32_t>(i));
    }
  });
  return out;
}

}  // namespace

SelectiveConjunction::SelectiveConjunction(const physical::PhysicalExprPtr& predicate) {
  std::vector<physical::PhysicalExprPtr> parts;
  split_and(predicate, &parts);
  for (auto& p : parts) {
    std::set<int> columns;
    collect_columns(*p, &columns);
    conjuncts_.push_back(Conjunct{std::move(p), {columns.begin(), columns.end()}});
    order_.push_back(order_.size());
  }
}

double SelectiveConjunction::Conjunct::rank() const {
  if (rows_in <= 0) return 0;  // not measured yet: try it early
  const double removed = 1.0 - rows_kept / rows_in;
  return (nanos / rows_in) / std::max(removed, 0.01);
}

void SelectiveConjunction::reorder() {
  std::stable_sort(order_.begin(), order_.end(),
                   [&](size_t a, size_t b) { return conjuncts_[a].rank() < conjuncts_[b].rank(); });
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> SelectiveConjunction::filter(
    const std::shared_ptr<arrow::RecordBatch>& batch) {
  // `current` holds the rows still in play: all of `batch`, or after narrowing the rows
  // `selection` lists (only the columns later conjuncts read are real, the others are unread
  // prefixes of the input so positions and types stay those of the input schema). `passed`
  // marks which rows of `current` every conjunct so far found TRUE (empty: all of them).
  std::shared_ptr<arrow::RecordBatch> current = batch;
  std::vector<int32_t> selection;
  bool narrowed = false;
  std::vector<uint8_t> passed;
  std::vector<uint8_t> bits;
  int64_t left = batch->num_rows();
  for (size_t step = 0; step < order_.size(); ++step) {
    Conjunct& c = conjuncts_[order_[step]];
    const int64_t in = current->num_rows();
    const auto start = std::chrono::steady_clock::now();
    ARROW_ASSIGN_OR_RAISE(arrow::Datum mask, c.expr->evaluate(*current));
    const int64_t kept = true_bits(mask, in, &bits);
    c.nanos +=
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    c.rows_in += static_cast<double>(in);
    c.rows_kept += static_cast<double>(kept);
    if (passed.empty()) {
      if (kept == in) continue;
      passed.swap(bits);
      left = kept;
    } else {
      arrow::internal::BitmapAnd(passed.data(), 0, bits.data(), 0, in, 0, passed.data());
      left = arrow::internal::CountSetBits(passed.data(), 0, in);
    }
    if (left == 0) break;
    if (step + 1 == order_.size() || static_cast<double>(left) > kNarrowBelow * in) continue;
    selection = set_rows(passed, in, narrowed ? &selection : nullptr, left);
    narrowed = true;
    passed.clear();
    const RowRuns runs = RowRuns::from_indices(selection);
    std::set<int> needed;
    for (size_t later = step + 1; later < order_.size(); ++later) {
      for (int i : conjuncts_[order_[later]].columns) needed.insert(i);
    }
    std::vector<std::shared_ptr<arrow::Array>> columns;
    for (int i = 0; i < batch->num_columns(); ++i) {
      if (needed.count(i) != 0) {
        ARROW_ASSIGN_OR_RAISE(auto column, gather_runs(batch->column(i), runs));
        columns.push_back(std::move(column));
      } else {
        columns.push_back(batch->column(i)->Slice(0, runs.count));
      }
    }
    current = arrow::RecordBatch::Make(batch->schema(), runs.count, std::move(columns));
  }
  if (order_.size() > 1) reorder();
  if (left == 0) return batch->Slice(0, 0);
  if (!narrowed) {
    if (passed.empty()) return batch;
    return gather_runs(batch, RowRuns::from_bitmap(passed.data(), 0, batch->num_rows()));
  }
  if (!passed.empty()) {
    selection = set_rows(passed, current->num_rows(), &selection, left);
  }
  return gather_runs(batch, RowRuns::from_indices(selection));
}

}  // namespace quiver::exec

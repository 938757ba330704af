#include "quiver/physical/expr/case_expr.h"

#include <arrow/array.h>
#include <arrow/array/concatenate.h>
#include <arrow/array/util.h>
#include <arrow/builder.h>
#include <arrow/compute/api.h>

#include "quiver/physical/expr/compute_dispatch.h"

namespace quiver::physical {

namespace {

// The rows of the original batch still undecided, as a sub-batch plus each row's position in
// the original batch.
struct Pending {
  std::shared_ptr<arrow::RecordBatch> batch;
  arrow::Datum operand;         // the CASE operand over `batch`, if any
  std::vector<int64_t> origin;  // origin[i] = row of the original batch
};

arrow::Result<std::shared_ptr<arrow::Int64Array>> to_indices(const std::vector<int64_t>& rows) {
  arrow::Int64Builder builder;
  ARROW_RETURN_NOT_OK(builder.AppendValues(rows));
  std::shared_ptr<arrow::Int64Array> out;
  ARROW_RETURN_NOT_OK(builder.Finish(&out));
  return out;
}

// Returns the rows of `pending` at `positions` (positions within pending.batch).
arrow::Result<Pending> select(const Pending& pending, const std::vector<int64_t>& positions) {
  if (static_cast<int64_t>(positions.size()) == pending.batch->num_rows()) return pending;
  ARROW_ASSIGN_OR_RAISE(auto indices, to_indices(positions));
  Pending out;
  ARROW_ASSIGN_OR_RAISE(arrow::Datum taken,
                        arrow::compute::Take(arrow::Datum(pending.batch), arrow::Datum(indices)));
  out.batch = taken.record_batch();
  if (pending.operand.is_array()) {
    ARROW_ASSIGN_OR_RAISE(out.operand,
                          arrow::compute::Take(pending.operand, arrow::Datum(indices)));
  } else {
    out.operand = pending.operand;
  }
  out.origin.reserve(positions.size());
  for (int64_t p : positions) out.origin.push_back(pending.origin[static_cast<size_t>(p)]);
  return out;
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::DataType>> CaseExpr::data_type(const arrow::Schema&) const {
  return result_type_;
}

arrow::Result<bool> CaseExpr::nullable(const arrow::Schema& input_schema) const {
  if (!else_) return true;
  for (const auto& [when, then] : when_then_) {
    ARROW_ASSIGN_OR_RAISE(bool n, then->nullable(input_schema));
    if (n) return true;
  }
  return else_->nullable(input_schema);
}

arrow::Result<arrow::Datum> CaseExpr::evaluate(const arrow::RecordBatch& batch) const {
  const int64_t n = batch.num_rows();
  if (n == 0) {
    ARROW_ASSIGN_OR_RAISE(auto empty, arrow::MakeEmptyArray(result_type_));
    return arrow::Datum(empty);
  }
  Pending pending;
  pending.batch = arrow::RecordBatch::Make(batch.schema(), n, batch.columns());
  pending.origin.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) pending.origin[static_cast<size_t>(i)] = i;
  if (operand_) {
    ARROW_ASSIGN_OR_RAISE(pending.operand, operand_->evaluate(*pending.batch));
  }

  // Branch results, concatenated at the end; choice[row] indexes into the concatenation.
  std::vector<std::shared_ptr<arrow::Array>> pieces;
  int64_t produced = 0;
  std::vector<int64_t> choice(static_cast<size_t>(n), -1);
  auto take_branch = [&](const PhysicalExpr& expr, const Pending& rows) -> arrow::Status {
    ARROW_ASSIGN_OR_RAISE(auto values, evaluate_to_array(expr, *rows.batch));
    ARROW_ASSIGN_OR_RAISE(arrow::Datum cast, cast_to(arrow::Datum(values), result_type_));
    for (size_t k = 0; k < rows.origin.size(); ++k) {
      choice[static_cast<size_t>(rows.origin[k])] = produced + static_cast<int64_t>(k);
    }
    produced += static_cast<int64_t>(rows.origin.size());
    pieces.push_back(cast.make_array());
    return arrow::Status::OK();
  };

  for (const auto& [when, then] : when_then_) {
    if (pending.batch->num_rows() == 0) break;
    ARROW_ASSIGN_OR_RAISE(arrow::Datum cond, when->evaluate(*pending.batch));
    if (operand_) {
      arrow::Datum operand = pending.operand;
      if (is_null_type(operand.type()) || is_null_type(cond.type())) {
        cond = arrow::Datum(arrow::MakeNullScalar(arrow::boolean()));
      } else {
        ARROW_ASSIGN_OR_RAISE(cond, arrow::compute::CallFunction("equal", {operand, cond}));
      }
    }
    ARROW_ASSIGN_OR_RAISE(auto mask, true_mask(cond, pending.batch->num_rows()));
    std::vector<int64_t> hit;
    std::vector<int64_t> miss;
    for (int64_t i = 0; i < mask->length(); ++i) {
      (mask->Value(i) ? hit : miss).push_back(i);
    }
    if (!hit.empty()) {
      ARROW_ASSIGN_OR_RAISE(Pending rows, select(pending, hit));
      ARROW_RETURN_NOT_OK(take_branch(*then, rows));
    }
    if (!hit.empty()) {
      ARROW_ASSIGN_OR_RAISE(pending, select(pending, miss));
    }
  }
  if (else_ && pending.batch->num_rows() > 0) {
    ARROW_RETURN_NOT_OK(take_branch(*else_, pending));
  }

  // A single branch that took every row in order needs no gather.
  if (pieces.size() == 1 && produced == n) {
    bool in_order = true;
    for (int64_t i = 0; i < n && in_order; ++i) in_order = choice[static_cast<size_t>(i)] == i;
    if (in_order) return arrow::Datum(pieces[0]);
  }
  if (pieces.empty()) {
    ARROW_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(result_type_, n));
    return arrow::Datum(nulls);
  }
  ARROW_ASSIGN_OR_RAISE(auto all, arrow::Concatenate(pieces));
  arrow::Int64Builder index_builder;
  ARROW_RETURN_NOT_OK(index_builder.Reserve(n));
  for (int64_t c : choice) {
    if (c < 0) {
      index_builder.UnsafeAppendNull();
    } else {
      index_builder.UnsafeAppend(c);
    }
  }
  std::shared_ptr<arrow::Array> indices;
  ARROW_RETURN_NOT_OK(index_builder.Finish(&indices));
  return arrow::compute::Take(arrow::Datum(all), arrow::Datum(indices));
}

std::vector<PhysicalExprPtr> CaseExpr::children() const {
  std::vector<PhysicalExprPtr> out;
  if (operand_) out.push_back(operand_);
  for (const auto& [when, then] : when_then_) {
    out.push_back(when);
    out.push_back(then);
  }
  if (else_) out.push_back(else_);
  return out;
}

arrow::Result<PhysicalExprPtr> CaseExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  const size_t expected = (operand_ ? 1 : 0) + 2 * when_then_.size() + (else_ ? 1 : 0);
  if (children.size() != expected) {
    return arrow::Status::UnknownError("CaseExpr takes ", expected, " children, got ",
                                       children.size());
  }
  size_t next = 0;
  PhysicalExprPtr operand = operand_ ? children[next++] : nullptr;
  std::vector<WhenThen> when_then;
  for (size_t i = 0; i < when_then_.size(); ++i) {
    when_then.emplace_back(children[next], children[next + 1]);
    next += 2;
  }
  PhysicalExprPtr else_expr = else_ ? children[next++] : nullptr;
  return std::make_shared<CaseExpr>(std::move(operand), std::move(when_then), std::move(else_expr),
                                    result_type_);
}

std::string CaseExpr::to_string() const {
  std::string out = "CASE";
  if (operand_) out += " " + operand_->to_string();
  for (const auto& [when, then] : when_then_) {
    out += " WHEN " + when->to_string() + " THEN " + then->to_string();
  }
  if (else_) out += " ELSE " + else_->to_string();
  return out + " END";
}

arrow::Result<PhysicalExprPtr> make_case(PhysicalExprPtr operand,
                                         std::vector<CaseExpr::WhenThen> when_then,
                                         PhysicalExprPtr else_expr,
                                         const arrow::Schema& input_schema) {
  if (when_then.empty()) {
    return arrow::Status::Invalid("CASE needs at least one WHEN ... THEN ...");
  }
  std::shared_ptr<arrow::DataType> type = arrow::null();
  std::vector<PhysicalExprPtr> results;
  for (const auto& [when, then] : when_then) results.push_back(then);
  if (else_expr) results.push_back(else_expr);
  for (const auto& r : results) {
    ARROW_ASSIGN_OR_RAISE(auto t, r->data_type(input_schema));
    if (!is_null_type(t)) {
      type = t;
      break;
    }
  }
  return std::make_shared<CaseExpr>(std::move(operand), std::move(when_then), std::move(else_expr),
                                    std::move(type));
}

}  // namespace quiver::physical

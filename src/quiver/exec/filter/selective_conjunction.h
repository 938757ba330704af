#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "quiver/physical/physical_expr.h"

namespace quiver::exec {

/// Evaluates a filter predicate `c1 AND c2 AND ...` conjunct by conjunct: a row is kept when
/// every conjunct is TRUE (NULL and FALSE drop it), which is exactly when the AND is TRUE under
/// three-valued logic, so the result equals filtering by the whole predicate. Conjuncts run on
/// the whole batch (their TRUE bits ANDed) until at most a quarter of the rows is left; the later
/// ones then run on those rows only, with just the columns they reference taken; the other
/// columns are taken once, at the end. The order adapts:
/// conjuncts are ranked by measured cost per row over the fraction of rows they remove, so
/// cheap and selective ones run first. A conjunct sees a subset of the rows the whole predicate
/// would, so it raises no error the whole predicate would not. One instance per stream (it keeps
/// statistics; not thread-safe).
class SelectiveConjunction {
 public:
  /// Splits `predicate` (boolean) into its conjuncts.
  explicit SelectiveConjunction(const physical::PhysicalExprPtr& predicate);

  /// Returns the rows of `batch` for which the predicate is TRUE (possibly `batch` itself).
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> filter(
      const std::shared_ptr<arrow::RecordBatch>& batch);

  /// Returns the number of conjuncts.
  size_t size() const { return conjuncts_.size(); }

 private:
  struct Conjunct {
    physical::PhysicalExprPtr expr;
    std::vector<int> columns;  // the input columns it references
    double rows_in = 0;        // rows it was evaluated on
    double rows_kept = 0;      // rows for which it was TRUE
    double nanos = 0;          // time spent evaluating it
    // Lower runs first: time per row divided by the fraction of rows removed.
    double rank() const;
  };

  void reorder();

  std::vector<Conjunct> conjuncts_;
  std::vector<size_t> order_;  // evaluation order (indices into conjuncts_)
};

}  // namespace quiver::exec

#pragma once

#include <memory>
#include <vector>

#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/aggregate/group_table.h"
#include "quiver/exec/operator_stream.h"
#include "quiver/physical/memory_pool.h"

namespace quiver::exec {

/// One partition of an AggregateExec: consumes the whole input into a GroupTable and one
/// GroupsAccumulator per aggregate, then emits the groups in batch_size slices.
///
/// A Partial aggregation that does not reduce rows skips grouping (as DataFusion does): once
/// `execution.skip_partial_aggregation_probe_rows_threshold` input rows are grouped, if groups /
/// rows >= `execution.skip_partial_aggregation_probe_ratio_threshold` it emits the groups so far
/// and then passes every later input row on as its own partial state (convert_to_state; the
/// Final aggregation merges them the same way). Only when every aggregate can convert rows and
/// none has a FILTER; the rows passed on are counted in the `skipped_aggregation_rows` metric.
class AggregateStream final : public OperatorStream {
 public:
  /// Creates the stream; `make` creates the accumulators and the group table.
  static arrow::Result<std::unique_ptr<AggregateStream>> Make(
      std::shared_ptr<const AggregateExec> node, std::shared_ptr<physical::TaskContext> context,
      physical::RecordBatchStreamPtr input, int partition);

 protected:
  /// Returns the next output slice.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override;

 private:
  AggregateStream(std::shared_ptr<const AggregateExec> node,
                  std::shared_ptr<physical::TaskContext> context,
                  physical::RecordBatchStreamPtr input, int partition);

  arrow::Status make_accumulators();
  arrow::Status consume(const arrow::RecordBatch& batch);
  bool start_skipping(int64_t batch_rows);
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> convert_batch(const arrow::RecordBatch& batch);
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> make_batch(
      std::vector<std::shared_ptr<arrow::Array>> columns, int64_t rows) const;
  arrow::Status update_raw(size_t k, const arrow::RecordBatch& batch,
                           const std::shared_ptr<arrow::UInt32Array>& ids, int64_t groups);
  arrow::Status touch_empty_groups();
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> build_output();

  std::shared_ptr<const AggregateExec> aggregate_;
  physical::RecordBatchStreamPtr input_;
  std::unique_ptr<GroupTable> groups_;
  std::vector<std::unique_ptr<functions::GroupsAccumulator>> accumulators_;
  std::vector<int> state_offsets_;  // first input column of each aggregate's states
  physical::MemoryReservation reservation_;
  bool consumed_ = false;
  bool saw_rows_ = false;
  bool can_skip_ = false;   // Partial, grouped, every accumulator converts rows, no FILTER
  bool skipping_ = false;   // grouping stopped: input rows pass on as states
  int64_t probe_rows_ = 0;  // input rows grouped while the skip is undecided
  int64_t probe_rows_threshold_ = 0;
  double probe_ratio_threshold_ = 0;
  std::shared_ptr<arrow::RecordBatch> output_;
  int64_t offset_ = 0;
};

}  // namespace quiver::exec

#include "quiver/exec/sort/sort_preserving_merge_exec.h"

#include <arrow/array/builder_base.h>
#include <arrow/array/concatenate.h>

#include <algorithm>
#include <functional>

#include "quiver/exec/exchange/partition_pump.h"
#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

namespace {

/// Where the merge reads one input partition from: the stream itself (one input) or the channel
/// its pump fills (several inputs).
struct MergeInput {
  physical::RecordBatchStreamPtr stream;
  std::shared_ptr<BoundedChannel<BatchResult>> channel;
  std::unique_ptr<PartitionPump> pump;

  BatchResult next() {
    if (stream != nullptr) return stream->next();
    auto item = channel->receive(0);
    if (!item.has_value()) return nullptr;
    return std::move(*item);
  }
};

/// The current batch of one input, its evaluated keys and the row the merge is at.
struct Cursor {
  std::shared_ptr<arrow::RecordBatch> batch;
  std::vector<std::shared_ptr<arrow::Array>> keys;
  int64_t row = 0;
};

/// A run of consecutive rows of one batch, copied into the output at once.
struct Run {
  std::shared_ptr<arrow::RecordBatch> batch;
  int64_t start;
  int64_t length;
};

class MergeStream final : public OperatorStream {
 public:
  MergeStream(std::shared_ptr<const SortPreservingMergeExec> node,
              std::shared_ptr<physical::TaskContext> context, std::vector<MergeInput> inputs)
      : OperatorStream(node, std::move(context), node->schema()),
        merge_(std::move(node)),
        inputs_(std::move(inputs)),
        cursors_(inputs_.size()),
        remaining_(merge_->fetch()) {}

  ~MergeStream() override { stop_inputs(); }

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    if (!started_) {
      started_ = true;
      for (size_t i = 0; i < inputs_.size(); ++i) {
        ARROW_ASSIGN_OR_RAISE(bool has_row, advance_batch(i));
        if (has_row) heap_push(i);
      }
    }
    std::vector<Run> runs;
    int64_t rows = 0;
    int64_t limit = context()->batch_size();
    if (remaining_.has_value()) limit = std::min(limit, *remaining_);
    while (rows < limit && !heap_.empty()) {
      const size_t i = heap_pop();
      Cursor& c = cursors_[i];
      if (!runs.empty() && runs.back().batch == c.batch &&
          runs.back().start + runs.back().length == c.row) {
        ++runs.back().length;
      } else {
        runs.push_back({c.batch, c.row, 1});
      }
      ++rows;
      ++c.row;
      if (c.row >= c.batch->num_rows()) {
        ARROW_ASSIGN_OR_RAISE(bool has_row, advance_batch(i));
        if (!has_row) continue;
      }
      heap_push(i);
    }
    if (rows == 0) {
      stop_inputs();
      return nullptr;
    }
    if (remaining_.has_value()) {
      *remaining_ -= rows;
      if (*remaining_ <= 0) {
        heap_.clear();
        stop_inputs();
      }
    }
    physical::ScopedTimer timer(metrics());
    return gather(runs, rows);
  }

 private:
  // Loads the next non-empty batch of input i; false at its end.
  arrow::Result<bool> advance_batch(size_t i) {
    Cursor& c = cursors_[i];
    while (true) {
      ARROW_ASSIGN_OR_RAISE(auto batch, inputs_[i].next());
      if (batch == nullptr) {
        c = Cursor{};
        return false;
      }
      if (batch->num_rows() == 0) continue;
      physical::ScopedTimer timer(metrics());
      std::vector<std::shared_ptr<arrow::Array>> keys;
      for (const auto& key : merge_->ordering()) {
        ARROW_ASSIGN_OR_RAISE(auto array, physical::evaluate_to_array(*key.expr, *batch));
        keys.push_back(std::move(array));
      }
      c.batch = std::move(batch);
      c.keys = std::move(keys);
      c.row = 0;
      return true;
    }
  }

  // True when input a's current row must come after input b's (min-heap order, stable by input).
  bool after(size_t a, size_t b) const {
    const int c = merge_->comparator().compare(cursors_[a].keys, cursors_[a].row, cursors_[b].keys,
                                               cursors_[b].row);
    return c > 0 || (c == 0 && a > b);
  }

  void heap_push(size_t i) {
    heap_.push_back(i);
    std::push_heap(heap_.begin(), heap_.end(), [this](size_t a, size_t b) { return after(a, b); });
  }

  size_t heap_pop() {
    std::pop_heap(heap_.begin(), heap_.end(), [this](size_t a, size_t b) { return after(a, b); });
    const size_t i = heap_.back();
    heap_.pop_back();
    return i;
  }

  // Copies the runs into one output batch, column by column.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> gather(const std::vector<Run>& runs,
                                                            int64_t rows) const {
    if (runs.size() == 1 && runs[0].length == runs[0].batch->num_rows()) return runs[0].batch;
    std::vector<std::shared_ptr<arrow::Array>> columns;
    for (int col = 0; col < schema()->num_fields(); ++col) {
      ARROW_ASSIGN_OR_RAISE(auto builder, arrow::MakeBuilder(schema()->field(col)->type()));
      ARROW_RETURN_NOT_OK(builder->Reserve(rows));
      arrow::Status st;
      for (const auto& run : runs) {
        st = builder->AppendArraySlice(arrow::ArraySpan(*run.batch->column_data(col)), run.start,
                                       run.length);
        if (!st.ok()) break;
      }
      std::shared_ptr<arrow::Array> column;
      if (st.ok()) {
        ARROW_ASSIGN_OR_RAISE(column, builder->Finish());
      } else if (st.IsNotImplemented()) {
        // Types without AppendArraySlice (e.g. dictionaries): concatenate slices instead.
        arrow::ArrayVector slices;
        for (const auto& run : runs) {
          slices.push_back(run.batch->column(col)->Slice(run.start, run.length));
        }
        ARROW_ASSIGN_OR_RAISE(column, arrow::Concatenate(slices));
      } else {
        return st;
      }
      columns.push_back(std::move(column));
    }
    return arrow::RecordBatch::Make(schema(), rows, std::move(columns));
  }

  void stop_inputs() {
    for (auto& input : inputs_) {
      if (input.channel != nullptr) input.channel->cancel();
    }
    inputs_.clear();  // joins the pumps
    cursors_.assign(cursors_.size(), Cursor{});
  }

  std::shared_ptr<const SortPreservingMergeExec> merge_;
  std::vector<MergeInput> inputs_;
  std::vector<Cursor> cursors_;
  std::vector<size_t> heap_;
  std::optional<int64_t> remaining_;
  bool started_ = false;
};

}  // namespace

SortPreservingMergeExec::SortPreservingMergeExec(physical::LexOrdering ordering,
                                                 physical::ExecutionPlanPtr input,
                                                 std::optional<int64_t> fetch,
                                                 RowComparator comparator)
    : ordering_(std::move(ordering)),
      input_(std::move(input)),
      fetch_(fetch),
      comparator_(std::move(comparator)) {
  properties_.schema = input_->schema();
  properties_.partitioning = physical::Partitioning::unknown(1);
  properties_.output_ordering = ordering_;
  properties_.emission = input_->properties().emission;
  properties_.boundedness = input_->properties().boundedness;
}

arrow::Result<std::shared_ptr<SortPreservingMergeExec>> SortPreservingMergeExec::Make(
    physical::LexOrdering ordering, physical::ExecutionPlanPtr input,
    std::optional<int64_t> fetch) {
  if (ordering.empty()) return arrow::Status::UnknownError("SortPreservingMergeExec: no sort keys");
  std::vector<std::shared_ptr<arrow::DataType>> types;
  for (const auto& key : ordering) {
    ARROW_ASSIGN_OR_RAISE(auto type, key.expr->data_type(*input->schema()));
    types.push_back(std::move(type));
  }
  ARROW_ASSIGN_OR_RAISE(auto comparator, RowComparator::Make(types, ordering));
  return std::shared_ptr<SortPreservingMergeExec>(new SortPreservingMergeExec(
      std::move(ordering), std::move(input), fetch, std::move(comparator)));
}

arrow::Result<physical::ExecutionPlanPtr> SortPreservingMergeExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return Make(ordering_, std::move(children[0]), fetch_);
}

arrow::Result<physical::RecordBatchStreamPtr> SortPreservingMergeExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  const int n = input_->output_partitions();
  std::vector<MergeInput> inputs(static_cast<size_t>(n));
  if (n == 1) {
    ARROW_ASSIGN_OR_RAISE(inputs[0].stream, input_->execute(0, context));
  } else {
    for (int p = 0; p < n; ++p) {
      auto& in = inputs[static_cast<size_t>(p)];
      in.channel = std::make_shared<BoundedChannel<BatchResult>>(1, 1, 2);
      in.pump = std::make_unique<PartitionPump>(input_, p, context, in.channel, 0);
    }
  }
  auto self = std::static_pointer_cast<const SortPreservingMergeExec>(shared_from_this());
  return std::make_unique<MergeStream>(std::move(self), context, std::move(inputs));
}

std::string SortPreservingMergeExec::display() const {
  std::string out = "SortPreservingMergeExec: " + physical::to_string(ordering_);
  if (fetch_.has_value()) out += ", fetch=" + std::to_string(*fetch_);
  return out;
}

}  // namespace quiver::exec

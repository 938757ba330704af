#include "quiver/exec/aggregate/aggregate_stream.h"

#include <arrow/array/util.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/cast.h>

#include <algorithm>

namespace quiver::exec {

AggregateStream::AggregateStream(std::shared_ptr<const AggregateExec> node,
                                 std::shared_ptr<physical::TaskContext> context,
                                 physical::RecordBatchStreamPtr input, int partition)
    : OperatorStream(node, context, node->schema()),
      aggregate_(std::move(node)),
      input_(std::move(input)),
      reservation_(context->memory_pool(),
                   "AggregateExec[partition " + std::to_string(partition) + "]") {}

arrow::Result<std::unique_ptr<AggregateStream>> AggregateStream::Make(
    std::shared_ptr<const AggregateExec> node, std::shared_ptr<physical::TaskContext> context,
    physical::RecordBatchStreamPtr input, int partition) {
  std::unique_ptr<AggregateStream> stream(
      new AggregateStream(std::move(node), std::move(context), std::move(input), partition));
  const auto& agg = *stream->aggregate_;
  std::vector<std::shared_ptr<arrow::DataType>> key_types;
  for (const auto& g : agg.group_exprs()) {
    ARROW_ASSIGN_OR_RAISE(auto type, g.expr->data_type(*agg.input()->schema()));
    key_types.push_back(std::move(type));
  }
  ARROW_ASSIGN_OR_RAISE(stream->groups_, GroupTable::Make(key_types));
  stream->can_skip_ = agg.mode() == AggregateMode::kPartial && !agg.group_exprs().empty();
  const auto& config = stream->context()->config();
  stream->probe_rows_threshold_ =
      config.get_int("execution.skip_partial_aggregation_probe_rows_threshold");
  stream->probe_ratio_threshold_ =
      config.get_double("execution.skip_partial_aggregation_probe_ratio_threshold");
  ARROW_RETURN_NOT_OK(stream->make_accumulators());
  int offset = static_cast<int>(agg.group_exprs().size());
  for (size_t k = 0; k < agg.aggregates().size(); ++k) {
    const auto& bound = agg.aggregates()[k];
    stream->can_skip_ = stream->can_skip_ &&
                        stream->accumulators_[k]->supports_convert_to_state() &&
                        bound.expr.filter == nullptr;
    stream->state_offsets_.push_back(offset);
    offset += static_cast<int>(bound.state_fields.size());
  }
  return stream;
}

arrow::Status AggregateStream::make_accumulators() {
  accumulators_.clear();
  for (const auto& bound : aggregate_->aggregates()) {
    ARROW_ASSIGN_OR_RAISE(auto acc,
                          bound.def->make_accumulator(bound.arg_types, bound.expr.distinct));
    accumulators_.push_back(std::move(acc));
  }
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> AggregateStream::poll_next() {
  if (!consumed_) {
    while (true) {
      ARROW_ASSIGN_OR_RAISE(auto batch, input_->next());
      if (batch == nullptr) break;
      ARROW_RETURN_NOT_OK(check_cancelled(*context(), "AggregateExec"));
      if (batch->num_rows() == 0) continue;
      physical::ScopedTimer timer(metrics());
      ARROW_RETURN_NOT_OK(consume(*batch));
      if (start_skipping(batch->num_rows())) break;
    }
    if (!skipping_) input_.reset();
    consumed_ = true;
    physical::ScopedTimer timer(metrics());
    ARROW_ASSIGN_OR_RAISE(output_, build_output());
    groups_.reset();
    accumulators_.clear();
    // A skipping stream converts rows with empty accumulators (their groups are emitted).
    if (skipping_) ARROW_RETURN_NOT_OK(make_accumulators());
  }
  if (output_ != nullptr && offset_ < output_->num_rows()) {
    const int64_t length = std::min(context()->batch_size(), output_->num_rows() - offset_);
    auto out = output_->Slice(offset_, length);
    offset_ += length;
    return out;
  }
  output_.reset();
  reservation_.free();
  while (skipping_) {
    ARROW_ASSIGN_OR_RAISE(auto batch, input_->next());
    if (batch == nullptr) break;
    ARROW_RETURN_NOT_OK(check_cancelled(*context(), "AggregateExec"));
    if (batch->num_rows() == 0) continue;
    physical::ScopedTimer timer(metrics());
    metrics().add("skipped_aggregation_rows", batch->num_rows());
    return convert_batch(*batch);
  }
  input_.reset();
  skipping_ = false;
  return nullptr;
}

// Decides, once the probe rows are grouped, whether grouping stops (see the class comment).
bool AggregateStream::start_skipping(int64_t batch_rows) {
  if (!can_skip_) return false;
  probe_rows_ += batch_rows;
  if (probe_rows_ < probe_rows_threshold_) return false;
  can_skip_ = false;  // decided for good
  const double ratio =
      static_cast<double>(groups_->num_groups()) / static_cast<double>(probe_rows_);
  skipping_ = ratio >= probe_ratio_threshold_;
  return skipping_;
}

// Every row of `batch` as its own group: the keys and each aggregate's state for that row.
arrow::Result<std::shared_ptr<arrow::RecordBatch>> AggregateStream::convert_batch(
    const arrow::RecordBatch& batch) {
  const auto& agg = *aggregate_;
  std::vector<std::shared_ptr<arrow::Array>> columns;
  for (const auto& g : agg.group_exprs()) {
    ARROW_ASSIGN_OR_RAISE(auto key, physical::evaluate_to_array(*g.expr, batch));
    columns.push_back(std::move(key));
  }
  for (size_t k = 0; k < accumulators_.size(); ++k) {
    std::vector<std::shared_ptr<arrow::Array>> values;
    for (const auto& arg : agg.aggregates()[k].expr.args) {
      ARROW_ASSIGN_OR_RAISE(auto value, physical::evaluate_to_array(*arg, batch));
      values.push_back(std::move(value));
    }
    ARROW_ASSIGN_OR_RAISE(auto states, accumulators_[k]->convert_to_state(values));
    for (auto& s : states) columns.push_back(std::move(s));
  }
  return make_batch(std::move(columns), batch.num_rows());
}

arrow::Status AggregateStream::consume(const arrow::RecordBatch& batch) {
  const auto& agg = *aggregate_;
  std::vector<std::shared_ptr<arrow::Array>> keys;
  for (const auto& g : agg.group_exprs()) {
    ARROW_ASSIGN_OR_RAISE(auto key, physical::evaluate_to_array(*g.expr, batch));
    keys.push_back(std::move(key));
  }
  ARROW_ASSIGN_OR_RAISE(auto ids, groups_->consume(keys, batch.num_rows()));
  const int64_t total = groups_->num_groups();
  saw_rows_ = true;
  for (size_t k = 0; k < accumulators_.size(); ++k) {
    if (consumes_raw_rows(agg.mode())) {
      ARROW_RETURN_NOT_OK(update_raw(k, batch, ids, total));
    } else {
      std::vector<std::shared_ptr<arrow::Array>> states;
      const auto& fields = agg.aggregates()[k].state_fields;
      for (size_t s = 0; s < fields.size(); ++s) {
        states.push_back(batch.column(state_offsets_[k] + static_cast<int>(s)));
      }
      ARROW_RETURN_NOT_OK(accumulators_[k]->merge_batch(states, ids->raw_values(), total));
    }
  }
  int64_t bytes = groups_->estimated_size();
  for (const auto& acc : accumulators_) bytes += acc->size();
  return reservation_.resize(bytes);
}

arrow::Status AggregateStream::update_raw(size_t k, const arrow::RecordBatch& batch,
                                          const std::shared_ptr<arrow::UInt32Array>& ids,
                                          int64_t groups) {
  const auto& expr = aggregate_->aggregates()[k].expr;
  std::vector<std::shared_ptr<arrow::Array>> values;
  for (const auto& arg : expr.args) {
    ARROW_ASSIGN_OR_RAISE(auto value, physical::evaluate_to_array(*arg, batch));
    values.push_back(std::move(value));
  }
  if (expr.filter == nullptr) {
    return accumulators_[k]->update_batch(values, ids->raw_values(), groups);
  }
  // FILTER (WHERE ...): only rows where the filter is true reach the accumulator.
  ARROW_ASSIGN_OR_RAISE(auto mask, physical::evaluate_to_array(*expr.filter, batch));
  if (mask->type_id() != arrow::Type::BOOL) {
    ARROW_ASSIGN_OR_RAISE(mask, arrow::compute::Cast(*mask, arrow::boolean()));
  }
  for (auto& value : values) {
    ARROW_ASSIGN_OR_RAISE(arrow::Datum kept, arrow::compute::Filter(value, mask));
    value = kept.make_array();
  }
  ARROW_ASSIGN_OR_RAISE(arrow::Datum kept_ids, arrow::compute::Filter(ids, mask));
  auto filtered_ids = std::static_pointer_cast<arrow::UInt32Array>(kept_ids.make_array());
  return accumulators_[k]->update_batch(values, filtered_ids->raw_values(), groups);
}

// Without GROUP BY the single group exists even when no row arrived: give every accumulator a
// chance to size its state for it.
arrow::Status AggregateStream::touch_empty_groups() {
  const auto& agg = *aggregate_;
  const int64_t total = groups_->num_groups();
  for (size_t k = 0; k < accumulators_.size(); ++k) {
    const auto& bound = agg.aggregates()[k];
    std::vector<std::shared_ptr<arrow::Array>> empty;
    if (consumes_raw_rows(agg.mode())) {
      for (const auto& type : bound.arg_types) {
        ARROW_ASSIGN_OR_RAISE(auto array, arrow::MakeEmptyArray(type));
        empty.push_back(std::move(array));
      }
      ARROW_RETURN_NOT_OK(accumulators_[k]->update_batch(empty, nullptr, total));
    } else {
      for (const auto& field : bound.state_fields) {
        ARROW_ASSIGN_OR_RAISE(auto array, arrow::MakeEmptyArray(field->type()));
        empty.push_back(std::move(array));
      }
      ARROW_RETURN_NOT_OK(accumulators_[k]->merge_batch(empty, nullptr, total));
    }
  }
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> AggregateStream::build_output() {
  const auto& agg = *aggregate_;
  if (!agg.group_exprs().empty() && groups_->num_groups() == 0) return nullptr;
  if (!saw_rows_) ARROW_RETURN_NOT_OK(touch_empty_groups());
  const int64_t rows = groups_->num_groups();
  std::vector<std::shared_ptr<arrow::Array>> columns;
  ARROW_ASSIGN_OR_RAISE(columns, groups_->keys());
  for (auto& acc : accumulators_) {
    if (produces_states(agg.mode())) {
      ARROW_ASSIGN_OR_RAISE(auto states, acc->state());
      for (auto& s : states) columns.push_back(std::move(s));
    } else {
      ARROW_ASSIGN_OR_RAISE(auto value, acc->evaluate());
      columns.push_back(std::move(value));
    }
  }
  return make_batch(std::move(columns), rows);
}

// Checks `columns` against the output schema (casting where only the type differs).
arrow::Result<std::shared_ptr<arrow::RecordBatch>> AggregateStream::make_batch(
    std::vector<std::shared_ptr<arrow::Array>> columns, int64_t rows) const {
  const auto& schema = *this->schema();
  if (static_cast<int>(columns.size()) != schema.num_fields()) {
    return arrow::Status::UnknownError("AggregateExec produced ", columns.size(),
                                       " columns, expected ", schema.num_fields());
  }
  for (int c = 0; c < schema.num_fields(); ++c) {
    auto& column = columns[static_cast<size_t>(c)];
    if (column->length() != rows) {
      return arrow::Status::UnknownError("AggregateExec column ", schema.field(c)->name(), " has ",
                                         column->length(), " rows, expected ", rows);
    }
    if (!column->type()->Equals(*schema.field(c)->type())) {
      ARROW_ASSIGN_OR_RAISE(column, arrow::compute::Cast(*column, schema.field(c)->type()));
    }
  }
  return arrow::RecordBatch::Make(this->schema(), rows, std::move(columns));
}

}  // namespace quiver::exec

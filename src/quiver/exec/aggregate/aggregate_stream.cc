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
  int offset = static_cast<int>(agg.group_exprs().size());
  for (const auto& bound : agg.aggregates()) {
    ARROW_ASSIGN_OR_RAISE(auto acc,
                          bound.def->make_accumulator(bound.arg_types, bound.expr.distinct));
    stream->accumulators_.push_back(std::move(acc));
    stream->state_offsets_.push_back(offset);
    offset += static_cast<int>(bound.state_fields.size());
  }
  return stream;
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
    }
    input_.reset();
    consumed_ = true;
    physical::ScopedTimer timer(metrics());
    ARROW_ASSIGN_OR_RAISE(output_, build_output());
    accumulators_.clear();
    groups_.reset();
  }
  if (output_ == nullptr || offset_ >= output_->num_rows()) {
    output_.reset();
    reservation_.free();
    return nullptr;
  }
  const int64_t length = std::min(context()->batch_size(), output_->num_rows() - offset_);
  auto out = output_->Slice(offset_, length);
  offset_ += length;
  return out;
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

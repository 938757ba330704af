#include "quiver/exec/aggregate/aggregate_exec.h"

#include "quiver/exec/aggregate/aggregate_stream.h"
#include "quiver/exec/exchange/hash_partitioned.h"

namespace quiver::exec {

AggregateExec::AggregateExec(AggregateMode mode, std::vector<GroupExpr> group_exprs,
                             std::vector<BoundAggregate> aggregates,
                             physical::ExecutionPlanPtr input,
                             std::shared_ptr<arrow::Schema> raw_input_schema,
                             std::shared_ptr<arrow::Schema> schema)
    : mode_(mode),
      group_exprs_(std::move(group_exprs)),
      aggregates_(std::move(aggregates)),
      input_(std::move(input)),
      raw_input_schema_(std::move(raw_input_schema)) {
  properties_.schema = std::move(schema);
  const auto& input_partitioning = input_->properties().partitioning;
  properties_.partitioning = physical::Partitioning::unknown(input_->output_partitions());
  // Group columns keep their positions through a FinalPartitioned aggregate, so the hash
  // partitioning of its input still describes its output.
  if (mode_ == AggregateMode::kFinalPartitioned &&
      input_partitioning.kind == physical::Partitioning::Kind::kHash) {
    properties_.partitioning = input_partitioning;
  }
  // A partitioned aggregation keeps its input's hash keys on group columns (a FinalPartitioned
  // one's input has the group columns first, where its output has them).
  const auto& input_keys = input_->properties().hash_keys;
  const int num_groups = static_cast<int>(group_exprs_.size());
  if (mode_ == AggregateMode::kFinalPartitioned) {
    properties_.hash_keys =
        map_hash_keys(input_keys, [&](int c) { return c < num_groups ? c : -1; });
  } else if (mode_ == AggregateMode::kSinglePartitioned) {
    properties_.hash_keys = map_hash_keys(input_keys, [&](int c) {
      for (int g = 0; g < num_groups; ++g) {
        if (plain_column_index(group_exprs_[static_cast<size_t>(g)].expr) == c) return g;
      }
      return -1;
    });
  }
  properties_.emission = physical::EmissionType::kFinal;
  properties_.boundedness = input_->properties().boundedness;
}

arrow::Result<std::shared_ptr<AggregateExec>> AggregateExec::Make(
    AggregateMode mode, std::vector<GroupExpr> group_exprs, std::vector<AggregateExpr> aggr_exprs,
    physical::ExecutionPlanPtr input, std::shared_ptr<arrow::Schema> raw_input_schema) {
  const auto& input_schema = *input->schema();
  if (raw_input_schema == nullptr) {
    if (!consumes_raw_rows(mode)) {
      return arrow::Status::UnknownError("AggregateExec: mode=", to_string(mode),
                                         " needs the raw input schema of its Partial aggregate");
    }
    raw_input_schema = input->schema();
  }
  if ((mode == AggregateMode::kSingle || mode == AggregateMode::kFinal) &&
      input->output_partitions() != 1) {
    return arrow::Status::UnknownError("AggregateExec: mode=", to_string(mode),
                                       " needs a single input partition, got ",
                                       input->output_partitions());
  }
  arrow::FieldVector fields;
  for (const auto& g : group_exprs) {
    ARROW_ASSIGN_OR_RAISE(auto type, g.expr->data_type(input_schema));
    ARROW_ASSIGN_OR_RAISE(bool nullable, g.expr->nullable(input_schema));
    fields.push_back(arrow::field(g.name, std::move(type), nullable));
  }
  std::vector<BoundAggregate> aggregates;
  int state_column = static_cast<int>(group_exprs.size());
  for (auto& a : aggr_exprs) {
    ARROW_ASSIGN_OR_RAISE(auto bound, BoundAggregate::Make(std::move(a), *raw_input_schema));
    if (!consumes_raw_rows(mode)) {
      // The input must carry this aggregate's states where a Partial aggregate puts them.
      for (const auto& state : bound.state_fields) {
        if (state_column >= input_schema.num_fields() ||
            !input_schema.field(state_column)->type()->Equals(*state->type())) {
          return arrow::Status::UnknownError(
              "AggregateExec: mode=", to_string(mode), " expects state ", state->ToString(),
              " at input column ", state_column, ", input schema is ", input_schema.ToString());
        }
        ++state_column;
      }
    }
    if (produces_states(mode)) {
      for (const auto& state : bound.state_fields) fields.push_back(state);
    } else {
      fields.push_back(arrow::field(bound.expr.name, bound.return_type, true));
    }
    aggregates.push_back(std::move(bound));
  }
  auto schema = arrow::schema(std::move(fields));
  return std::shared_ptr<AggregateExec>(
      new AggregateExec(mode, std::move(group_exprs), std::move(aggregates), std::move(input),
                        std::move(raw_input_schema), std::move(schema)));
}

std::vector<AggregateExpr> AggregateExec::aggr_exprs() const {
  std::vector<AggregateExpr> out;
  for (const auto& a : aggregates_) out.push_back(a.expr);
  return out;
}

arrow::Result<physical::ExecutionPlanPtr> AggregateExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return Make(mode_, group_exprs_, aggr_exprs(), std::move(children[0]), raw_input_schema_);
}

arrow::Result<physical::RecordBatchStreamPtr> AggregateExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  ARROW_ASSIGN_OR_RAISE(auto input, input_->execute(partition, context));
  auto self = std::static_pointer_cast<const AggregateExec>(shared_from_this());
  ARROW_ASSIGN_OR_RAISE(
      auto stream, AggregateStream::Make(std::move(self), context, std::move(input), partition));
  return stream;
}

std::string AggregateExec::display() const {
  std::string out = "AggregateExec: mode=" + to_string(mode_) + ", gby=[";
  for (size_t i = 0; i < group_exprs_.size(); ++i) {
    if (i > 0) out += ", ";
    out += group_exprs_[i].expr->to_string() + " as " + group_exprs_[i].name;
  }
  out += "], aggr=[";
  for (size_t i = 0; i < aggregates_.size(); ++i) {
    if (i > 0) out += ", ";
    out += aggregates_[i].expr.name;
  }
  return out + "]";
}

}  // namespace quiver::exec

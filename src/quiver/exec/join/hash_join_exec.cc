#include "quiver/exec/join/hash_join_exec.h"

#include "quiver/exec/exchange/hash_partitioned.h"
#include "quiver/exec/join/hash_join_build.h"
#include "quiver/exec/join/hash_join_stream.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::exec {

const char* partition_mode_name(PartitionMode mode) {
  return mode == PartitionMode::kPartitioned ? "Partitioned" : "CollectLeft";
}

/// Per-execution state of kCollectLeft (one shared build per TaskContext).
struct HashJoinExec::Shared {
  std::shared_ptr<const HashJoinConfig> config;
  std::unique_ptr<SharedBuildSide> builds;  // kCollectLeft only
};

namespace {

// Returns `expr` with every column index moved by `offset` (for keys over a wider schema).
arrow::Result<physical::PhysicalExprPtr> shift_columns(const physical::PhysicalExprPtr& expr,
                                                       int offset) {
  if (const auto* column = dynamic_cast<const physical::ColumnExpr*>(expr.get())) {
    return physical::make_column(column->name(), column->index() + offset);
  }
  auto children = expr->children();
  if (children.empty()) return expr;
  for (auto& child : children) {
    ARROW_ASSIGN_OR_RAISE(child, shift_columns(child, offset));
  }
  return expr->with_new_children(std::move(children));
}

arrow::Status check_key(const std::vector<JoinOn>& on, size_t i, const arrow::Schema& left,
                        const arrow::Schema& right) {
  const auto& key = on[i];
  ARROW_ASSIGN_OR_RAISE(auto left_type, key.left->data_type(left));
  ARROW_ASSIGN_OR_RAISE(auto right_type, key.right->data_type(right));
  if (!left_type->Equals(*right_type)) {
    return arrow::Status::Invalid("HashJoinExec: join key ", key.left->to_string(), " (",
                                  left_type->ToString(), ") and ", key.right->to_string(), " (",
                                  right_type->ToString(), ") have different types");
  }
  if (!is_hashable_join_key(*left_type)) {
    return arrow::Status::NotImplemented("HashJoinExec: join key ", key.left->to_string(),
                                         " has type ", left_type->ToString(),
                                         ", which cannot be hashed");
  }
  return arrow::Status::OK();
}

}  // namespace

namespace {

// The hash keys of a join's output: its output partition p holds rows of its inputs' partition
// p only, the left side's for a partitioned Inner, Left, LeftSemi or LeftAnti join (left columns
// keep their positions), the right side's for Inner, Right, RightSemi and RightAnti joins in
// either mode (a collect-left join passes its right partitions through).
HashKeys join_hash_keys(const physical::ExecutionPlan& left, const physical::ExecutionPlan& right,
                        JoinType type, PartitionMode mode) {
  HashKeys out;
  const bool left_in_place = type == JoinType::kInner || type == JoinType::kLeft ||
                             type == JoinType::kLeftSemi || type == JoinType::kLeftAnti;
  const bool right_in_place = type == JoinType::kInner || type == JoinType::kRight ||
                              type == JoinType::kRightSemi || type == JoinType::kRightAnti;
  if (mode == PartitionMode::kPartitioned && left_in_place) out = left.properties().hash_keys;
  if (right_in_place) {
    const bool right_only = type == JoinType::kRightSemi || type == JoinType::kRightAnti;
    const int shift = right_only ? 0 : left.schema()->num_fields();
    for (auto keys : right.properties().hash_keys) {
      for (int& c : keys) c += shift;
      out.push_back(std::move(keys));
    }
  }
  return out;
}

}  // namespace

HashJoinExec::HashJoinExec(physical::ExecutionPlanPtr left, physical::ExecutionPlanPtr right,
                           std::vector<JoinOn> on, std::optional<JoinFilter> filter,
                           JoinType join_type, PartitionMode mode, bool null_equals_null,
                           bool null_aware)
    : left_(std::move(left)),
      right_(std::move(right)),
      on_(std::move(on)),
      filter_(std::move(filter)),
      join_type_(join_type),
      mode_(mode),
      null_equals_null_(null_equals_null),
      null_aware_(null_aware) {
  properties_.schema = join_output_schema(*left_->schema(), *right_->schema(), join_type_);
  const int partitions = right_->output_partitions();
  properties_.partitioning = physical::Partitioning::unknown(partitions);
  const auto& right_partitioning = right_->properties().partitioning;
  if (mode_ == PartitionMode::kPartitioned &&
      right_partitioning.kind == physical::Partitioning::Kind::kHash) {
    if (join_type_ == JoinType::kRightSemi || join_type_ == JoinType::kRightAnti) {
      properties_.partitioning = right_partitioning;
    } else if (join_type_ == JoinType::kInner || join_type_ == JoinType::kRight) {
      std::vector<physical::PhysicalExprPtr> keys;
      bool ok = true;
      for (const auto& key : right_partitioning.exprs) {
        auto shifted = shift_columns(key, left_->schema()->num_fields());
        ok = ok && shifted.ok();
        if (shifted.ok()) keys.push_back(*shifted);
      }
      if (ok) properties_.partitioning = physical::Partitioning::hash(std::move(keys), partitions);
    }
  }
  properties_.hash_keys = join_hash_keys(*left_, *right_, join_type_, mode_);
  properties_.emission = join_emission(join_type_);
  const bool bounded = left_->properties().boundedness == physical::Boundedness::kBounded &&
                       right_->properties().boundedness == physical::Boundedness::kBounded;
  properties_.boundedness =
      bounded ? physical::Boundedness::kBounded : physical::Boundedness::kUnbounded;

  auto config = std::make_shared<HashJoinConfig>();
  config->join_type = join_type_;
  for (const auto& key : on_) {
    config->left_keys.push_back(key.left);
    config->right_keys.push_back(key.right);
  }
  config->filter = filter_;
  config->null_equals_null = null_equals_null_;
  config->null_aware = null_aware_;
  config->left_schema = left_->schema();
  config->right_schema = right_->schema();
  config->filter_schema = join_filter_schema(*left_->schema(), *right_->schema());
  config->output_schema = properties_.schema;
  shared_ = std::make_shared<Shared>();
  if (mode_ == PartitionMode::kCollectLeft) {
    shared_->builds =
        std::make_unique<SharedBuildSide>("HashJoinExec", left_, make_hash_table_extension(config));
  }
  shared_->config = std::move(config);
}

arrow::Result<std::shared_ptr<HashJoinExec>> HashJoinExec::Make(
    physical::ExecutionPlanPtr left, physical::ExecutionPlanPtr right, std::vector<JoinOn> on,
    std::optional<JoinFilter> filter, JoinType join_type, PartitionMode mode, bool null_equals_null,
    bool null_aware) {
  if (on.empty()) return arrow::Status::Invalid("HashJoinExec: no join keys");
  for (size_t i = 0; i < on.size(); ++i) {
    ARROW_RETURN_NOT_OK(check_key(on, i, *left->schema(), *right->schema()));
  }
  if (filter.has_value()) {
    const auto schema = join_filter_schema(*left->schema(), *right->schema());
    ARROW_ASSIGN_OR_RAISE(auto type, filter->expr->data_type(*schema));
    if (type->id() != arrow::Type::BOOL && type->id() != arrow::Type::NA) {
      return arrow::Status::Invalid("HashJoinExec: the filter ", filter->expr->to_string(),
                                    " must be boolean, got ", type->ToString());
    }
  }
  if (mode == PartitionMode::kPartitioned &&
      left->output_partitions() != right->output_partitions()) {
    return arrow::Status::Invalid(
        "HashJoinExec: mode=Partitioned needs inputs with the same partition count, got ",
        left->output_partitions(), " (left) and ", right->output_partitions(), " (right)");
  }
  if (null_aware) {
    if (join_type != JoinType::kLeftAnti || on.size() != 1) {
      return arrow::Status::Invalid("HashJoinExec: null_aware needs a LeftAnti join on one key");
    }
    if (mode != PartitionMode::kCollectLeft) {
      return arrow::Status::Invalid(
          "HashJoinExec: null_aware needs mode=CollectLeft (it must see the whole right side)");
    }
    if (filter.has_value()) {
      return arrow::Status::NotImplemented("HashJoinExec: null_aware with a filter");
    }
  }
  return std::shared_ptr<HashJoinExec>(new HashJoinExec(std::move(left), std::move(right),
                                                        std::move(on), std::move(filter), join_type,
                                                        mode, null_equals_null, null_aware));
}

arrow::Result<physical::ExecutionPlanPtr> HashJoinExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 2));
  return Make(std::move(children[0]), std::move(children[1]), on_, filter_, join_type_, mode_,
              null_equals_null_, null_aware_);
}

arrow::Result<physical::RecordBatchStreamPtr> HashJoinExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  std::unique_ptr<HashJoinBuild> build;
  if (mode_ == PartitionMode::kPartitioned) {
    ARROW_ASSIGN_OR_RAISE(auto left, left_->execute(partition, context));
    build = make_partitioned_build(shared_->config, std::move(left), context, partition);
  } else {
    build = make_collected_build(shared_->builds->acquire(context, partition, output_partitions()),
                                 context);
  }
  ARROW_ASSIGN_OR_RAISE(auto right, right_->execute(partition, context));
  return make_hash_join_stream(shared_from_this(), context, shared_->config, std::move(build),
                               std::move(right));
}

std::string HashJoinExec::display() const {
  std::string out = std::string("HashJoinExec: mode=") + partition_mode_name(mode_) +
                    ", join_type=" + join_type_name(join_type_) + ", on=" + to_string(on_);
  if (filter_.has_value()) out += ", filter=" + filter_->expr->to_string();
  if (null_aware_) out += ", null_aware=true";
  return out;
}

}  // namespace quiver::exec

#include "quiver/exec/join/nested_loop_join_exec.h"

#include <arrow/array/util.h>
#include <arrow/builder.h>

#include <algorithm>

#include "quiver/exec/join/collected_left.h"
#include "quiver/exec/join/join_rows.h"
#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

struct NestedLoopJoinExec::Shared {
  Shared(const physical::ExecutionPlanPtr& left, const physical::ExecutionPlanPtr& right)
      : build("NestedLoopJoinExec", left),
        filter_schema(join_filter_schema(*left->schema(), *right->schema())) {}
  SharedBuildSide build;
  std::shared_ptr<arrow::Schema> filter_schema;  // left fields ++ right fields
};

namespace {

bool tracks_right_matches(JoinType type) {
  return type == JoinType::kRight || type == JoinType::kFull || type == JoinType::kRightSemi ||
         type == JoinType::kRightAnti;
}

bool emits_pairs(JoinType type) {
  return type == JoinType::kInner || type == JoinType::kLeft || type == JoinType::kRight ||
         type == JoinType::kFull;
}

/// One right partition: for each right batch, walks the cross product with the collected left
/// rows in slices of batch_size pairs, keeps the pairs the filter accepts, and emits what the
/// join type asks for; the partition that ends last also emits the left rows (un)matched.
class NestedLoopJoinStream final : public OperatorStream {
 public:
  NestedLoopJoinStream(std::shared_ptr<const NestedLoopJoinExec> node,
                       std::shared_ptr<physical::TaskContext> context,
                       std::shared_ptr<SharedBuild> build,
                       std::shared_ptr<arrow::Schema> filter_schema,
                       physical::RecordBatchStreamPtr right)
      : OperatorStream(node, context, node->schema()),
        join_(std::move(node)),
        type_(join_->join_type()),
        build_(std::move(build)),
        filter_schema_(std::move(filter_schema)),
        right_(std::move(right)) {}

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    if (left_ == nullptr) {
      ARROW_ASSIGN_OR_RAISE(left_, build_->get(context(), metrics()));
    }
    while (true) {
      // Slices that match nothing do not return: check between them too.
      ARROW_RETURN_NOT_OK(check_cancelled(*context(), "NestedLoopJoinExec"));
      std::shared_ptr<arrow::RecordBatch> out;
      if (phase_ == Phase::kProbe) {
        ARROW_ASSIGN_OR_RAISE(out, probe_step());
      } else if (phase_ == Phase::kRightEnded) {
        phase_ = Phase::kDone;
        if (build_->finish_probe() && emits_unmatched_left(type_)) {
          ARROW_ASSIGN_OR_RAISE(left_rows_, left_->rows_with_matched(type_ == JoinType::kLeftSemi));
          phase_ = Phase::kEmitLeft;
        }
      } else if (phase_ == Phase::kEmitLeft) {
        ARROW_ASSIGN_OR_RAISE(out, emit_left_step());
      } else {
        return nullptr;
      }
      if (out != nullptr && out->num_rows() > 0) return out;
    }
  }

 private:
  enum class Phase { kProbe, kRightEnded, kEmitLeft, kDone };

  // Advances the probe by one slice of pairs (or one right batch); may return nullptr.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> probe_step() {
    if (batch_ == nullptr) {
      ARROW_ASSIGN_OR_RAISE(batch_, right_->next());
      if (batch_ == nullptr) {
        right_.reset();
        phase_ = Phase::kRightEnded;
        return nullptr;
      }
      ARROW_RETURN_NOT_OK(check_cancelled(*context(), "NestedLoopJoinExec"));
      if (batch_->num_rows() == 0) {
        batch_.reset();
        return nullptr;
      }
      metrics().add("probe_rows", batch_->num_rows());
      next_pair_ = 0;
      if (tracks_right_matches(type_)) right_matched_.assign(batch_->num_rows(), 0);
    }
    physical::ScopedTimer timer(metrics());
    const int64_t m = batch_->num_rows();
    const int64_t total = left_->num_rows() * m;
    if (next_pair_ >= total) return finish_right_batch();
    const int64_t count =
        std::min(std::max<int64_t>(context()->batch_size(), 1), total - next_pair_);
    ARROW_ASSIGN_OR_RAISE(auto pairs, cross_product_pairs(next_pair_, count, m));
    next_pair_ += count;
    if (join_->filter().has_value()) {
      ARROW_ASSIGN_OR_RAISE(auto candidates,
                            take_join_rows(filter_schema_, count, left_->batch().get(), pairs.left,
                                           batch_.get(), pairs.right));
      ARROW_ASSIGN_OR_RAISE(auto mask,
                            physical::evaluate_to_array(*join_->filter()->expr, *candidates));
      if (mask->type_id() != arrow::Type::BOOL) {
        if (mask->type_id() != arrow::Type::NA) {
          return arrow::Status::Invalid("NestedLoopJoinExec: the filter ",
                                        join_->filter()->expr->to_string(), " returned ",
                                        mask->type()->ToString());
        }
        return nullptr;  // all NULL: no pair matches
      }
      ARROW_ASSIGN_OR_RAISE(auto positions,
                            true_positions(static_cast<const arrow::BooleanArray&>(*mask)));
      ARROW_ASSIGN_OR_RAISE(pairs.left, pick(*pairs.left, *positions));
      ARROW_ASSIGN_OR_RAISE(pairs.right, pick(*pairs.right, *positions));
    }
    const int64_t matches = pairs.left->length();
    if (emits_unmatched_left(type_)) {
      for (int64_t i = 0; i < matches; ++i) left_->mark_matched(pairs.left->Value(i));
    }
    if (tracks_right_matches(type_)) {
      for (int64_t i = 0; i < matches; ++i) right_matched_[pairs.right->Value(i)] = 1;
    }
    if (!emits_pairs(type_) || matches == 0) return nullptr;
    return take_join_rows(schema(), matches, left_->batch().get(), pairs.left, batch_.get(),
                          pairs.right);
  }

  // After the last slice of a right batch: the right rows Right/Full pad, RightSemi/Anti keep.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> finish_right_batch() {
    auto batch = std::move(batch_);
    if (!tracks_right_matches(type_)) return nullptr;
    const bool want_matched = type_ == JoinType::kRightSemi;
    arrow::UInt64Builder builder;
    for (size_t i = 0; i < right_matched_.size(); ++i) {
      if ((right_matched_[i] != 0) == want_matched) ARROW_RETURN_NOT_OK(builder.Append(i));
    }
    std::shared_ptr<arrow::UInt64Array> rows;
    ARROW_RETURN_NOT_OK(builder.Finish(&rows));
    if (rows->length() == 0) return nullptr;
    if (type_ == JoinType::kRightSemi || type_ == JoinType::kRightAnti) {
      return take_join_rows(schema(), rows->length(), nullptr, nullptr, batch.get(), rows);
    }
    return take_join_rows(schema(), rows->length(), left_->batch().get(), nullptr, batch.get(),
                          rows);
  }

  // Emits the next batch_size slice of the left rows chosen by the last partition.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> emit_left_step() {
    const int64_t total = left_rows_->length();
    if (left_offset_ >= total) {
      phase_ = Phase::kDone;
      return nullptr;
    }
    physical::ScopedTimer timer(metrics());
    const int64_t count =
        std::min(std::max<int64_t>(context()->batch_size(), 1), total - left_offset_);
    auto rows =
        std::static_pointer_cast<arrow::UInt64Array>(left_rows_->Slice(left_offset_, count));
    left_offset_ += count;
    if (type_ == JoinType::kLeft || type_ == JoinType::kFull) {
      return take_join_rows(schema(), count, left_->batch().get(), rows, empty_right().get(),
                            nullptr);
    }
    return take_join_rows(schema(), count, left_->batch().get(), rows, nullptr, nullptr);
  }

  // A right batch with no rows, standing for the right side's columns when padding them.
  const std::shared_ptr<arrow::RecordBatch>& empty_right() {
    if (empty_right_ == nullptr) {
      const auto& schema = join_->right()->schema();
      std::vector<std::shared_ptr<arrow::Array>> columns;
      for (const auto& f : schema->fields()) {
        columns.push_back(arrow::MakeArrayOfNull(f->type(), 0).ValueOrDie());
      }
      empty_right_ = arrow::RecordBatch::Make(schema, 0, std::move(columns));
    }
    return empty_right_;
  }

  std::shared_ptr<const NestedLoopJoinExec> join_;
  const JoinType type_;
  std::shared_ptr<SharedBuild> build_;
  std::shared_ptr<arrow::Schema> filter_schema_;
  physical::RecordBatchStreamPtr right_;
  std::shared_ptr<CollectedLeft> left_;
  Phase phase_ = Phase::kProbe;
  std::shared_ptr<arrow::RecordBatch> batch_;  // the right batch being joined
  int64_t next_pair_ = 0;
  std::vector<uint8_t> right_matched_;
  std::shared_ptr<arrow::UInt64Array> left_rows_;  // left rows to emit at the end
  int64_t left_offset_ = 0;
  std::shared_ptr<arrow::RecordBatch> empty_right_;
};

}  // namespace

NestedLoopJoinExec::NestedLoopJoinExec(physical::ExecutionPlanPtr left,
                                       physical::ExecutionPlanPtr right,
                                       std::optional<JoinFilter> filter, JoinType join_type)
    : left_(std::move(left)),
      right_(std::move(right)),
      filter_(std::move(filter)),
      join_type_(join_type),
      shared_(std::make_shared<Shared>(left_, right_)) {
  properties_.schema = join_output_schema(*left_->schema(), *right_->schema(), join_type_);
  properties_.partitioning = physical::Partitioning::unknown(right_->output_partitions());
  properties_.emission = join_emission(join_type_);
  properties_.boundedness = right_->properties().boundedness;
}

arrow::Result<std::shared_ptr<NestedLoopJoinExec>> NestedLoopJoinExec::Make(
    physical::ExecutionPlanPtr left, physical::ExecutionPlanPtr right,
    std::optional<JoinFilter> filter, JoinType join_type) {
  if (left == nullptr || right == nullptr) {
    return arrow::Status::Invalid("NestedLoopJoinExec: missing input");
  }
  if (filter.has_value()) {
    if (filter->expr == nullptr) return arrow::Status::Invalid("NestedLoopJoinExec: empty filter");
    const auto schema = join_filter_schema(*left->schema(), *right->schema());
    ARROW_ASSIGN_OR_RAISE(auto type, filter->expr->data_type(*schema));
    if (type->id() != arrow::Type::BOOL && type->id() != arrow::Type::NA) {
      return arrow::Status::Invalid("NestedLoopJoinExec: the filter ", filter->expr->to_string(),
                                    " must be boolean, got ", type->ToString());
    }
  }
  return std::shared_ptr<NestedLoopJoinExec>(
      new NestedLoopJoinExec(std::move(left), std::move(right), std::move(filter), join_type));
}

arrow::Result<physical::ExecutionPlanPtr> NestedLoopJoinExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 2));
  return Make(std::move(children[0]), std::move(children[1]), filter_, join_type_);
}

arrow::Result<physical::RecordBatchStreamPtr> NestedLoopJoinExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  ARROW_ASSIGN_OR_RAISE(auto right, right_->execute(partition, context));
  auto build = shared_->build.acquire(context, partition, output_partitions());
  auto self = std::static_pointer_cast<const NestedLoopJoinExec>(shared_from_this());
  return std::make_unique<NestedLoopJoinStream>(std::move(self), context, std::move(build),
                                                shared_->filter_schema, std::move(right));
}

std::string NestedLoopJoinExec::display() const {
  std::string out = std::string("NestedLoopJoinExec: join_type=") + join_type_name(join_type_);
  if (filter_.has_value()) out += ", filter=" + filter_->expr->to_string();
  return out;
}

}  // namespace quiver::exec

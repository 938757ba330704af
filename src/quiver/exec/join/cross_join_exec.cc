#include <algorithm>

#include "quiver/exec/join/collected_left.h"
#include "quiver/exec/join/join_rows.h"
#include "quiver/exec/join/nested_loop_join_exec.h"
#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

struct CrossJoinExec::Shared {
  explicit Shared(physical::ExecutionPlanPtr left) : build("CrossJoinExec", std::move(left)) {}
  SharedBuildSide build;
};

namespace {

/// One right partition: pairs every right batch with all collected left rows, emitting the
/// pairs in slices of batch_size (pair k of a batch of m rows is left row k / m, right row
/// k % m).
class CrossJoinStream final : public OperatorStream {
 public:
  CrossJoinStream(physical::ExecutionPlanPtr node, std::shared_ptr<physical::TaskContext> context,
                  std::shared_ptr<SharedBuild> build, physical::RecordBatchStreamPtr right)
      : OperatorStream(node, context, node->schema()),
        build_(std::move(build)),
        right_(std::move(right)) {}

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    if (left_ == nullptr) {
      ARROW_ASSIGN_OR_RAISE(left_, build_->get(context(), metrics()));
    }
    while (true) {
      if (batch_ == nullptr) {
        if (right_ == nullptr) return nullptr;
        ARROW_ASSIGN_OR_RAISE(batch_, right_->next());
        if (batch_ == nullptr) {
          right_.reset();
          build_->finish_probe();  // nothing to emit at the end; keeps the count exact
          return nullptr;
        }
        ARROW_RETURN_NOT_OK(check_cancelled(*context(), "CrossJoinExec"));
        metrics().add("probe_rows", batch_->num_rows());
        next_pair_ = 0;
      }
      const int64_t m = batch_->num_rows();
      const int64_t total = left_->num_rows() * m;
      if (next_pair_ >= total) {
        batch_.reset();
        continue;
      }
      physical::ScopedTimer timer(metrics());
      const int64_t count =
          std::min(std::max<int64_t>(context()->batch_size(), 1), total - next_pair_);
      ARROW_ASSIGN_OR_RAISE(auto pairs, cross_product_pairs(next_pair_, count, m));
      next_pair_ += count;
      return take_join_rows(schema(), count, left_->batch().get(), pairs.left, batch_.get(),
                            pairs.right);
    }
  }

 private:
  std::shared_ptr<SharedBuild> build_;
  physical::RecordBatchStreamPtr right_;
  std::shared_ptr<CollectedLeft> left_;
  std::shared_ptr<arrow::RecordBatch> batch_;  // the right batch being paired
  int64_t next_pair_ = 0;
};

}  // namespace

CrossJoinExec::CrossJoinExec(physical::ExecutionPlanPtr left, physical::ExecutionPlanPtr right)
    : left_(std::move(left)), right_(std::move(right)), shared_(std::make_shared<Shared>(left_)) {
  properties_.schema = join_output_schema(*left_->schema(), *right_->schema(), JoinType::kInner);
  properties_.partitioning = physical::Partitioning::unknown(right_->output_partitions());
  properties_.boundedness = right_->properties().boundedness;
}

arrow::Result<std::shared_ptr<CrossJoinExec>> CrossJoinExec::Make(
    physical::ExecutionPlanPtr left, physical::ExecutionPlanPtr right) {
  if (left == nullptr || right == nullptr) {
    return arrow::Status::Invalid("CrossJoinExec: missing input");
  }
  return std::shared_ptr<CrossJoinExec>(new CrossJoinExec(std::move(left), std::move(right)));
}

arrow::Result<physical::ExecutionPlanPtr> CrossJoinExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 2));
  return Make(std::move(children[0]), std::move(children[1]));
}

arrow::Result<physical::RecordBatchStreamPtr> CrossJoinExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  ARROW_ASSIGN_OR_RAISE(auto right, right_->execute(partition, context));
  auto build = shared_->build.acquire(context, partition, output_partitions());
  return std::make_unique<CrossJoinStream>(shared_from_this(), context, std::move(build),
                                           std::move(right));
}

}  // namespace quiver::exec

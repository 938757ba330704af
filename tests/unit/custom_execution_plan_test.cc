// The user extension API, proven with the seed's numbers(start, end) example: a custom leaf
// ExecutionPlan, its table function, its config extension and its task estimator, registered
// from C++ and used through SQL.

#include <arrow/array.h>
#include <arrow/table.h>
#include <gtest/gtest.h>

#include "custom_execution_plan/numbers_config.h"
#include "custom_execution_plan/numbers_exec.h"
#include "custom_execution_plan/numbers_table_function.h"
#include "custom_execution_plan/numbers_task_estimator.h"
#include "quiver/catalog/session_context.h"

namespace quiver::examples {
namespace {

std::vector<int64_t> numbers_of(const physical::ExecutionPlan& plan, int task_index,
                                int task_count) {
  common::ConfigOptions options;
  EXPECT_TRUE(options.set("execution.batch_size", "4").ok());
  auto ctx = std::make_shared<physical::TaskContext>(
      options, physical::DistributedTaskContext{task_index, task_count});
  auto stream = plan.execute(0, ctx).ValueOrDie();
  std::vector<int64_t> out;
  while (auto batch = stream->next().ValueOrDie()) {
    auto values = std::static_pointer_cast<arrow::Int64Array>(batch->column(0));
    for (int64_t i = 0; i < values->length(); ++i) out.push_back(values->Value(i));
  }
  return out;
}

TEST(NumbersExecTest, GeneratesOnlyItsTasksRange) {
  auto exec = NumbersExec::Make({{0, 6}, {6, 11}}).ValueOrDie();
  EXPECT_EQ(exec->display(), "NumbersExec: t0:[0-6), t1:[6-11)");
  EXPECT_EQ(numbers_of(*exec, 0, 2), (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(numbers_of(*exec, 1, 2), (std::vector<int64_t>{6, 7, 8, 9, 10}));
  EXPECT_EQ(exec->metrics().output_rows(), 11);
}

TEST(NumbersExecTest, RejectsATaskWithoutARange) {
  auto exec = NumbersExec::Make({{0, 10}}).ValueOrDie();
  auto ctx = std::make_shared<physical::TaskContext>(common::ConfigOptions{},
                                                     physical::DistributedTaskContext{1, 2});
  auto stream = exec->execute(0, ctx);
  ASSERT_FALSE(stream.ok());
  EXPECT_NE(stream.status().message().find("task 1"), std::string::npos);
}

TEST(NumbersTaskEstimatorTest, FollowsNumbersPerTask) {
  common::ConfigOptions options;
  ASSERT_TRUE(options.register_extension(NumbersConfig{}).ok());
  NumbersTaskEstimator estimator;
  auto ten = NumbersExec::Make({{0, 10}}).ValueOrDie();
  auto eleven = NumbersExec::Make({{0, 11}}).ValueOrDie();
  auto hundred = NumbersExec::Make({{0, 100}}).ValueOrDie();
  EXPECT_EQ(estimator.task_estimation(*ten, options)->count, 1);
  EXPECT_EQ(estimator.task_estimation(*eleven, options)->count, 2);
  EXPECT_EQ(estimator.task_estimation(*hundred, options)->count, 10);
  ASSERT_TRUE(options.set("numbers.numbers_per_task", "20").ok());
  EXPECT_EQ(estimator.task_estimation(*hundred, options)->count, 5);

  auto split = estimator.scale_up_leaf_node(eleven, 2, options).ValueOrDie();
  EXPECT_EQ(split->display(), "NumbersExec: t0:[0-6), t1:[6-11)");
  auto four = estimator.scale_up_leaf_node(hundred, 4, options).ValueOrDie();
  EXPECT_EQ(four->display(), "NumbersExec: t0:[0-25), t1:[25-50), t2:[50-75), t3:[75-100)");
}

// A leaf the numbers estimator does not know.
class OtherLeaf final : public physical::ExecutionPlan {
 public:
  OtherLeaf() { properties_.schema = arrow::schema(arrow::FieldVector{}); }
  std::string_view name() const override { return "OtherLeaf"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr>) const override {
    return shared_from_this();
  }
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int, const std::shared_ptr<physical::TaskContext>&) const override {
    return physical::make_vector_stream(properties_.schema, {});
  }
  std::string display() const override { return "OtherLeaf"; }

 private:
  physical::PlanProperties properties_;
};

TEST(NumbersTaskEstimatorTest, IgnoresOtherNodes) {
  NumbersTaskEstimator estimator;
  common::ConfigOptions options;
  auto other = std::make_shared<OtherLeaf>();
  EXPECT_FALSE(estimator.task_estimation(*other, options).has_value());
  EXPECT_EQ(estimator.scale_up_leaf_node(other, 2, options).ValueOrDie(), nullptr);
}

class NumbersSqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_ = catalog::SessionContext::Make();
    ASSERT_TRUE(ctx_->register_config_extension(NumbersConfig{}).ok());
    ASSERT_TRUE(
        ctx_->register_table_function("numbers", std::make_shared<NumbersTableFunction>()).ok());
  }
  std::shared_ptr<catalog::SessionContext> ctx_;
};

TEST_F(NumbersSqlTest, PrintsTheSeedsSingleNodePlan) {
  ASSERT_TRUE(ctx_->mutable_options().set("execution.target_partitions", "16").ok());
  auto df = ctx_->sql("SELECT DISTINCT number FROM numbers(0, 10) ORDER BY number").ValueOrDie();
  auto plan = df->physical_plan().ValueOrDie();
  EXPECT_EQ(physical::display_plan(*plan),
            "SortPreservingMergeExec: [number@0 ASC NULLS LAST]\n"
            "  SortExec: expr=[number@0 ASC NULLS LAST], preserve_partitioning=[true]\n"
            "    AggregateExec: mode=FinalPartitioned, gby=[number@0 as number], aggr=[]\n"
            "      RepartitionExec: partitioning=Hash([number@0], 16), input_partitions=16\n"
            "        AggregateExec: mode=Partial, gby=[number@0 as number], aggr=[]\n"
            "          RepartitionExec: partitioning=RoundRobinBatch(16), input_partitions=1\n"
            "            NumbersExec: t0:[0-10)\n");
  auto table = df->collect().ValueOrDie();
  ASSERT_EQ(table->num_rows(), 10);
  auto combined = table->CombineChunksToBatch().ValueOrDie();
  auto values = std::static_pointer_cast<arrow::Int64Array>(combined->column(0));
  for (int64_t i = 0; i < 10; ++i) EXPECT_EQ(values->Value(i), i);
}

TEST_F(NumbersSqlTest, ConfigExtensionIsSettableWithSql) {
  ASSERT_TRUE(ctx_->sql("SET numbers.numbers_per_task = 20").ok());
  EXPECT_EQ(ctx_->options().get_int("numbers.numbers_per_task"), 20);
  auto bad = ctx_->sql("SET numbers.numbers_per_task = 'many'");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("numbers.numbers_per_task"), std::string::npos);
}

TEST_F(NumbersSqlTest, AggregatesOverTheCustomLeaf) {
  auto table =
      ctx_->sql("SELECT count(*), sum(number), min(number), max(number) FROM numbers(1, 101)")
          .ValueOrDie()
          ->collect()
          .ValueOrDie();
  auto row = table->CombineChunksToBatch().ValueOrDie();
  EXPECT_EQ(row->column(0)->GetScalar(0).ValueOrDie()->ToString(), "100");
  EXPECT_EQ(row->column(1)->GetScalar(0).ValueOrDie()->ToString(), "5050");
  EXPECT_EQ(row->column(2)->GetScalar(0).ValueOrDie()->ToString(), "1");
  EXPECT_EQ(row->column(3)->GetScalar(0).ValueOrDie()->ToString(), "100");
}

TEST_F(NumbersSqlTest, BadArgumentsAreUserErrors) {
  auto result = ctx_->sql("SELECT * FROM numbers(10, 1)");
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalid());
  EXPECT_NE(result.status().message().find("end (1) is before start (10)"), std::string::npos);
}

}  // namespace
}  // namespace quiver::examples

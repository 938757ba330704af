#include "quiver/distributed/codec/plan_codec.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <typeinfo>

#include "quiver/distributed/codec/class_name.h"
#include "quiver/distributed/codec/data_source_codec.h"
#include "quiver/distributed/codec/expr_codec.h"
#include "quiver/distributed/codec/ipc_values.h"
#include "quiver/distributed/codec/join_codec.h"
#include "quiver/distributed/codec/network_boundary_codec.h"
#include "quiver/distributed/distributed_leaf_exec.h"
#include "quiver/distributed/network/network_coalesce_exec.h"
#include "quiver/distributed/network/network_shuffle_exec.h"
#include "quiver/distributed/network/stage_input_exec.h"
#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/exec/filter/filter_exec.h"
#include "quiver/exec/limit/global_limit_exec.h"
#include "quiver/exec/limit/local_limit_exec.h"
#include "quiver/exec/projection/projection_exec.h"
#include "quiver/exec/sort/sort_exec.h"
#include "quiver/exec/sort/sort_preserving_merge_exec.h"
#include "quiver/exec/source/empty_exec.h"
#include "quiver/exec/source/values_exec.h"
#include "quiver/exec/union/union_exec.h"
#include "quiver_plan/quiver_plan.pb.h"

namespace quiver::distributed::codec {

namespace {

using physical::ExecutionPlan;
using physical::ExecutionPlanPtr;

// Nested plans deeper than this are rejected on decode (protects the stack from hostile bytes).
constexpr int kMaxDepth = 1000;
// Message nesting (plans and expressions together) allowed when parsing; protobuf's default
// of 100 is too small for long AND/OR chains.
constexpr int kMaxNesting = 20000;

template <typename T>
const T* exactly(const ExecutionPlan& node) {
  return typeid(node) == typeid(T) ? static_cast<const T*>(&node) : nullptr;
}

// ---- pieces -------------------------------------------------------------------------------

arrow::Status encode_ordering(const physical::LexOrdering& ordering,
                              google::protobuf::RepeatedPtrField<proto::SortExprNode>* out) {
  for (const auto& key : ordering) {
    auto* m = out->Add();
    ARROW_RETURN_NOT_OK(encode_physical_expr(*key.expr, m->mutable_expr()));
    m->set_ascending(key.ascending);
    m->set_nulls_first(key.nulls_first);
  }
  return arrow::Status::OK();
}

arrow::Result<physical::LexOrdering> decode_ordering(
    const google::protobuf::RepeatedPtrField<proto::SortExprNode>& keys) {
  physical::LexOrdering ordering;
  for (const auto& key : keys) {
    ARROW_ASSIGN_OR_RAISE(auto expr, decode_physical_expr(key.expr()));
    ordering.push_back({std::move(expr), key.ascending(), key.nulls_first()});
  }
  return ordering;
}

arrow::Result<std::vector<physical::PhysicalExprPtr>> decode_exprs(
    const google::protobuf::RepeatedPtrField<proto::PhysicalExprNode>& nodes) {
  std::vector<physical::PhysicalExprPtr> exprs;
  for (const auto& node : nodes) {
    ARROW_ASSIGN_OR_RAISE(auto expr, decode_physical_expr(node));
    exprs.push_back(std::move(expr));
  }
  return exprs;
}

arrow::Status encode_partitioning(const physical::Partitioning& partitioning,
                                  proto::PartitioningNode* out) {
  out->set_kind(static_cast<proto::PartitioningNode::Kind>(static_cast<int>(partitioning.kind)));
  out->set_count(partitioning.count);
  for (const auto& expr : partitioning.exprs) {
    ARROW_RETURN_NOT_OK(encode_physical_expr(*expr, out->add_exprs()));
  }
  return arrow::Status::OK();
}

arrow::Result<physical::Partitioning> decode_partitioning(const proto::PartitioningNode& node) {
  physical::Partitioning partitioning;
  if (node.kind() < 0 || node.kind() > static_cast<int>(physical::Partitioning::Kind::kHash)) {
    return arrow::Status::Invalid("plan codec: unknown partitioning kind ", node.kind());
  }
  partitioning.kind = static_cast<physical::Partitioning::Kind>(node.kind());
  partitioning.count = node.count();
  ARROW_ASSIGN_OR_RAISE(partitioning.exprs, decode_exprs(node.exprs()));
  return partitioning;
}

arrow::Status encode_aggregate(const exec::AggregateExec& node, proto::AggregateExecNode* out) {
  out->set_mode(static_cast<proto::AggregateModeNode>(static_cast<int>(node.mode())));
  for (const auto& group : node.group_exprs()) {
    auto* m = out->add_group_exprs();
    ARROW_RETURN_NOT_OK(encode_physical_expr(*group.expr, m->mutable_expr()));
    m->set_name(group.name);
  }
  for (const auto& aggr : node.aggr_exprs()) {
    auto* m = out->add_aggr_exprs();
    m->set_function(aggr.function);
    for (const auto& arg : aggr.args)
      ARROW_RETURN_NOT_OK(encode_physical_expr(*arg, m->add_args()));
    m->set_distinct(aggr.distinct);
    if (aggr.filter) ARROW_RETURN_NOT_OK(encode_physical_expr(*aggr.filter, m->mutable_filter()));
    m->set_name(aggr.name);
  }
  ARROW_ASSIGN_OR_RAISE(auto schema, encode_schema(*node.raw_input_schema()));
  out->set_raw_input_schema(std::move(schema));
  return arrow::Status::OK();
}

arrow::Result<ExecutionPlanPtr> decode_aggregate(const proto::AggregateExecNode& m,
                                                 ExecutionPlanPtr input) {
  if (m.mode() < 0 || m.mode() > static_cast<int>(exec::AggregateMode::kSinglePartitioned)) {
    return arrow::Status::Invalid("plan codec: unknown aggregate mode ", m.mode());
  }
  std::vector<exec::GroupExpr> groups;
  for (const auto& group : m.group_exprs()) {
    ARROW_ASSIGN_OR_RAISE(auto expr, decode_physical_expr(group.expr()));
    groups.push_back({std::move(expr), group.name()});
  }
  std::vector<exec::AggregateExpr> aggregates;
  for (const auto& aggr : m.aggr_exprs()) {
    exec::AggregateExpr expr;
    expr.function = aggr.function();
    ARROW_ASSIGN_OR_RAISE(expr.args, decode_exprs(aggr.args()));
    expr.distinct = aggr.distinct();
    if (aggr.has_filter()) {
      ARROW_ASSIGN_OR_RAISE(expr.filter, decode_physical_expr(aggr.filter()));
    }
    expr.name = aggr.name();
    aggregates.push_back(std::move(expr));
  }
  ARROW_ASSIGN_OR_RAISE(auto raw_input_schema, decode_schema(m.raw_input_schema()));
  ARROW_ASSIGN_OR_RAISE(auto node,
                        exec::AggregateExec::Make(static_cast<exec::AggregateMode>(m.mode()),
                                                  std::move(groups), std::move(aggregates),
                                                  std::move(input), std::move(raw_input_schema)));
  return ExecutionPlanPtr(std::move(node));
}

arrow::Status encode_stage_input(const StageInputExec& node, proto::StageInputExecNode* out) {
  const auto& properties = node.properties();
  out->set_stage(node.stage());
  out->set_producer(node.producer());
  ARROW_ASSIGN_OR_RAISE(auto schema, encode_schema(*properties.schema));
  out->set_schema(std::move(schema));
  ARROW_RETURN_NOT_OK(encode_partitioning(properties.partitioning, out->mutable_partitioning()));
  ARROW_RETURN_NOT_OK(encode_ordering(properties.output_ordering, out->mutable_ordering()));
  out->set_emission(static_cast<int>(properties.emission));
  out->set_boundedness(static_cast<int>(properties.boundedness));
  return arrow::Status::OK();
}

arrow::Result<ExecutionPlanPtr> decode_stage_input(const proto::StageInputExecNode& m) {
  if (m.emission() < 0 || m.emission() > static_cast<int>(physical::EmissionType::kBoth) ||
      m.boundedness() < 0 ||
      m.boundedness() > static_cast<int>(physical::Boundedness::kUnbounded)) {
    return arrow::Status::Invalid("plan codec: StageInputExec of stage ", m.stage(),
                                  " with emission ", m.emission(), " and boundedness ",
                                  m.boundedness());
  }
  physical::PlanProperties properties;
  ARROW_ASSIGN_OR_RAISE(properties.schema, decode_schema(m.schema()));
  ARROW_ASSIGN_OR_RAISE(properties.partitioning, decode_partitioning(m.partitioning()));
  ARROW_ASSIGN_OR_RAISE(properties.output_ordering, decode_ordering(m.ordering()));
  properties.emission = static_cast<physical::EmissionType>(m.emission());
  properties.boundedness = static_cast<physical::Boundedness>(m.boundedness());
  auto out = StageInputExec::Make(m.stage(), m.producer(), std::move(properties));
  if (!out.ok()) return arrow::Status::Invalid("plan codec: ", out.status().message());
  return ExecutionPlanPtr(std::move(*out));
}

// ---- nodes --------------------------------------------------------------------------------

arrow::Status encode_node(const ExecutionPlan& node, const ExtensionCodecs& extension_codecs,
                          proto::PlanNode* out);

arrow::Status encode_built_in(const ExecutionPlan& node, proto::PlanNode* out, bool* handled) {
  *handled = true;
  if (auto* n = exactly<exec::FilterExec>(node)) {
    return encode_physical_expr(*n->predicate(), out->mutable_filter()->mutable_predicate());
  }
  if (auto* n = exactly<exec::ProjectionExec>(node)) {
    auto* m = out->mutable_projection();
    for (const auto& expr : n->exprs()) {
      auto* e = m->add_exprs();
      ARROW_RETURN_NOT_OK(encode_physical_expr(*expr.expr, e->mutable_expr()));
      e->set_name(expr.name);
    }
    return arrow::Status::OK();
  }
  if (auto* n = exactly<exec::GlobalLimitExec>(node)) {
    out->mutable_global_limit()->set_skip(n->skip());
    if (n->fetch()) out->mutable_global_limit()->set_fetch(*n->fetch());
    return arrow::Status::OK();
  }
  if (auto* n = exactly<exec::LocalLimitExec>(node)) {
    out->mutable_local_limit()->set_fetch(n->fetch());
    return arrow::Status::OK();
  }
  if (auto* n = exactly<exec::EmptyExec>(node)) {
    ARROW_ASSIGN_OR_RAISE(auto schema, encode_schema(*n->schema()));
    out->mutable_empty()->set_schema(std::move(schema));
    out->mutable_empty()->set_produce_one_row(n->produce_one_row());
    return arrow::Status::OK();
  }
  if (auto* n = exactly<exec::ValuesExec>(node)) {
    ARROW_ASSIGN_OR_RAISE(auto bytes, encode_batches(n->schema(), n->batches()));
    out->mutable_values()->set_batches_ipc(std::move(bytes));
    return arrow::Status::OK();
  }
  if (auto* n = exactly<exec::UnionExec>(node)) {
    ARROW_ASSIGN_OR_RAISE(auto schema, encode_schema(*n->schema()));
    out->mutable_union_all()->set_schema(std::move(schema));
    return arrow::Status::OK();
  }
  if (auto* n = exactly<exec::AggregateExec>(node)) {
    return encode_aggregate(*n, out->mutable_aggregate());
  }
  if (exactly<exec::CoalescePartitionsExec>(node) != nullptr) {
    out->mutable_coalesce_partitions();
    return arrow::Status::OK();
  }
  if (auto* n = exactly<exec::RepartitionExec>(node)) {
    return encode_partitioning(n->partitioning(),
                               out->mutable_repartition()->mutable_partitioning());
  }
  if (auto* n = exactly<exec::SortExec>(node)) {
    auto* m = out->mutable_sort();
    ARROW_RETURN_NOT_OK(encode_ordering(n->ordering(), m->mutable_ordering()));
    m->set_preserve_partitioning(n->preserve_partitioning());
    if (n->fetch()) m->set_fetch(*n->fetch());
    return arrow::Status::OK();
  }
  if (auto* n = exactly<exec::SortPreservingMergeExec>(node)) {
    auto* m = out->mutable_sort_preserving_merge();
    ARROW_RETURN_NOT_OK(encode_ordering(n->ordering(), m->mutable_ordering()));
    if (n->fetch()) m->set_fetch(*n->fetch());
    return arrow::Status::OK();
  }
  if (auto* n = exactly<datasource::DataSourceExec>(node)) {
    return encode_data_source(*n, out->mutable_data_source());
  }
  if (auto* n = exactly<NetworkShuffleExec>(node)) {
    encode_boundary(*n, out->mutable_network_shuffle());
    return arrow::Status::OK();
  }
  if (auto* n = exactly<NetworkCoalesceExec>(node)) {
    encode_boundary(*n, out->mutable_network_coalesce());
    return arrow::Status::OK();
  }
  if (auto* n = exactly<StageInputExec>(node)) {
    return encode_stage_input(*n, out->mutable_stage_input());
  }
  *handled = false;
  return arrow::Status::OK();
}

arrow::Status encode_node(const ExecutionPlan& node, const ExtensionCodecs& extension_codecs,
                          proto::PlanNode* out) {
  for (const auto& child : node.children()) {
    ARROW_RETURN_NOT_OK(encode_node(*child, extension_codecs, out->add_inputs()));
  }
  if (auto* n = exactly<DistributedLeafExec>(node)) {
    // The split leaf is not a child: it travels inside the node, with the user codecs too.
    out->mutable_distributed_leaf()->set_task_count(n->task_count());
    return encode_node(*n->leaf(), extension_codecs,
                       out->mutable_distributed_leaf()->mutable_leaf());
  }
  bool handled = false;
  ARROW_RETURN_NOT_OK(encode_built_in(node, out, &handled));
  if (!handled) ARROW_RETURN_NOT_OK(encode_join_node(node, out, &handled));
  if (handled) return arrow::Status::OK();
  for (const auto& codec : extension_codecs) {
    ARROW_ASSIGN_OR_RAISE(auto encoded, codec->try_encode(node));
    if (!encoded) continue;
    out->mutable_extension()->set_name(std::move(encoded->name));
    out->mutable_extension()->set_payload(std::move(encoded->bytes));
    return arrow::Status::OK();
  }
  return arrow::Status::NotImplemented("no codec for node ", node.name(), " (",
                                       class_name(typeid(node)),
                                       "): register a PhysicalExtensionCodec for it");
}

arrow::Result<ExecutionPlanPtr> only_input(const std::vector<ExecutionPlanPtr>& inputs,
                                           const char* node) {
  if (inputs.size() != 1) {
    return arrow::Status::Invalid("plan codec: ", node, " needs one input, got ", inputs.size());
  }
  return inputs[0];
}

arrow::Result<ExecutionPlanPtr> no_inputs(const std::vector<ExecutionPlanPtr>& inputs,
                                          const char* node) {
  if (!inputs.empty()) {
    return arrow::Status::Invalid("plan codec: ", node, " takes no input, got ", inputs.size());
  }
  return ExecutionPlanPtr();
}

std::optional<int64_t> optional_fetch(bool has, int64_t value) {
  return has ? std::optional<int64_t>(value) : std::nullopt;
}

arrow::Result<ExecutionPlanPtr> decode_extension(const proto::ExtensionExecNode& m,
                                                 std::vector<ExecutionPlanPtr> inputs,
                                                 const ExtensionCodecs& extension_codecs) {
  for (const auto& codec : extension_codecs) {
    ARROW_ASSIGN_OR_RAISE(auto node, codec->try_decode(m.name(), m.payload(), inputs));
    if (node) return node;
  }
  return arrow::Status::NotImplemented("no codec for node ", m.name(),
                                       ": register its PhysicalExtensionCodec on this side too");
}

arrow::Result<ExecutionPlanPtr> decode_node(const proto::PlanNode& node,
                                            const ExtensionCodecs& extension_codecs, int depth) {
  if (depth > kMaxDepth) return arrow::Status::Invalid("plan codec: plan nested too deeply");
  std::vector<ExecutionPlanPtr> inputs;
  for (const auto& input : node.inputs()) {
    ARROW_ASSIGN_OR_RAISE(auto decoded, decode_node(input, extension_codecs, depth + 1));
    inputs.push_back(std::move(decoded));
  }
  using Kind = proto::PlanNode::KindCase;
  switch (node.kind_case()) {
    case Kind::kFilter: {
      ARROW_ASSIGN_OR_RAISE(auto input, only_input(inputs, "FilterExec"));
      ARROW_ASSIGN_OR_RAISE(auto predicate, decode_physical_expr(node.filter().predicate()));
      ARROW_ASSIGN_OR_RAISE(auto out, exec::FilterExec::Make(std::move(predicate), input));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kProjection: {
      ARROW_ASSIGN_OR_RAISE(auto input, only_input(inputs, "ProjectionExec"));
      std::vector<exec::ProjectionExpr> exprs;
      for (const auto& e : node.projection().exprs()) {
        ARROW_ASSIGN_OR_RAISE(auto expr, decode_physical_expr(e.expr()));
        exprs.push_back({std::move(expr), e.name()});
      }
      ARROW_ASSIGN_OR_RAISE(auto out, exec::ProjectionExec::Make(std::move(exprs), input));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kGlobalLimit: {
      ARROW_ASSIGN_OR_RAISE(auto input, only_input(inputs, "GlobalLimitExec"));
      const auto& m = node.global_limit();
      ARROW_ASSIGN_OR_RAISE(
          auto out,
          exec::GlobalLimitExec::Make(input, m.skip(), optional_fetch(m.has_fetch(), m.fetch())));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kLocalLimit: {
      ARROW_ASSIGN_OR_RAISE(auto input, only_input(inputs, "LocalLimitExec"));
      ARROW_ASSIGN_OR_RAISE(auto out,
                            exec::LocalLimitExec::Make(input, node.local_limit().fetch()));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kEmpty: {
      ARROW_RETURN_NOT_OK(no_inputs(inputs, "EmptyExec").status());
      ARROW_ASSIGN_OR_RAISE(auto schema, decode_schema(node.empty().schema()));
      ARROW_ASSIGN_OR_RAISE(
          auto out, exec::EmptyExec::Make(std::move(schema), node.empty().produce_one_row()));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kValues: {
      ARROW_RETURN_NOT_OK(no_inputs(inputs, "ValuesExec").status());
      ARROW_ASSIGN_OR_RAISE(auto decoded, decode_batches(node.values().batches_ipc()));
      ARROW_ASSIGN_OR_RAISE(
          auto out, exec::ValuesExec::Make(std::move(decoded.schema), std::move(decoded.batches)));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kUnionAll: {
      ARROW_ASSIGN_OR_RAISE(auto schema, decode_schema(node.union_all().schema()));
      ARROW_ASSIGN_OR_RAISE(auto out, exec::UnionExec::Make(std::move(inputs), std::move(schema)));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kAggregate: {
      ARROW_ASSIGN_OR_RAISE(auto input, only_input(inputs, "AggregateExec"));
      return decode_aggregate(node.aggregate(), std::move(input));
    }
    case Kind::kCoalescePartitions: {
      ARROW_ASSIGN_OR_RAISE(auto input, only_input(inputs, "CoalescePartitionsExec"));
      ARROW_ASSIGN_OR_RAISE(auto out, exec::CoalescePartitionsExec::Make(input));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kRepartition: {
      ARROW_ASSIGN_OR_RAISE(auto input, only_input(inputs, "RepartitionExec"));
      ARROW_ASSIGN_OR_RAISE(auto partitioning,
                            decode_partitioning(node.repartition().partitioning()));
      ARROW_ASSIGN_OR_RAISE(auto out, exec::RepartitionExec::Make(input, std::move(partitioning)));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kSort: {
      ARROW_ASSIGN_OR_RAISE(auto input, only_input(inputs, "SortExec"));
      const auto& m = node.sort();
      ARROW_ASSIGN_OR_RAISE(auto ordering, decode_ordering(m.ordering()));
      ARROW_ASSIGN_OR_RAISE(
          auto out, exec::SortExec::Make(std::move(ordering), input, m.preserve_partitioning(),
                                         optional_fetch(m.has_fetch(), m.fetch())));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kSortPreservingMerge: {
      ARROW_ASSIGN_OR_RAISE(auto input, only_input(inputs, "SortPreservingMergeExec"));
      const auto& m = node.sort_preserving_merge();
      ARROW_ASSIGN_OR_RAISE(auto ordering, decode_ordering(m.ordering()));
      ARROW_ASSIGN_OR_RAISE(
          auto out, exec::SortPreservingMergeExec::Make(std::move(ordering), input,
                                                        optional_fetch(m.has_fetch(), m.fetch())));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kDataSource:
      ARROW_RETURN_NOT_OK(no_inputs(inputs, "DataSourceExec").status());
      return decode_data_source(node.data_source());
    case Kind::kExtension:
      return decode_extension(node.extension(), std::move(inputs), extension_codecs);
    case Kind::kNetworkShuffle: {
      ARROW_ASSIGN_OR_RAISE(auto input, only_input(inputs, "NetworkShuffleExec"));
      return decode_network_shuffle(node.network_shuffle(), std::move(input));
    }
    case Kind::kNetworkCoalesce: {
      ARROW_ASSIGN_OR_RAISE(auto input, only_input(inputs, "NetworkCoalesceExec"));
      return decode_network_coalesce(node.network_coalesce(), std::move(input));
    }
    case Kind::kStageInput:
      ARROW_RETURN_NOT_OK(no_inputs(inputs, "StageInputExec").status());
      return decode_stage_input(node.stage_input());
    case Kind::kDistributedLeaf: {
      ARROW_RETURN_NOT_OK(no_inputs(inputs, "DistributedLeafExec").status());
      const auto& m = node.distributed_leaf();
      if (!m.has_leaf())
        return arrow::Status::Invalid("plan codec: DistributedLeafExec without a leaf");
      ARROW_ASSIGN_OR_RAISE(auto leaf, decode_node(m.leaf(), extension_codecs, depth + 1));
      if (m.task_count() < 1) {
        return arrow::Status::Invalid("plan codec: DistributedLeafExec over ", m.task_count(),
                                      " tasks");
      }
      ARROW_ASSIGN_OR_RAISE(auto out, DistributedLeafExec::Make(std::move(leaf), m.task_count()));
      return ExecutionPlanPtr(std::move(out));
    }
    case Kind::kHashJoin:
    case Kind::kNestedLoopJoin:
    case Kind::kCrossJoin:
    case Kind::kBroadcast:
    case Kind::kNetworkBroadcast:
      return decode_join_node(node, std::move(inputs));
    case Kind::KIND_NOT_SET:
      break;
  }
  return arrow::Status::Invalid("plan codec: plan node message without a kind");
}

}  // namespace

arrow::Result<std::string> encode_plan(const physical::ExecutionPlan& plan,
                                       const ExtensionCodecs& extension_codecs) {
  proto::PlanNode root;
  ARROW_RETURN_NOT_OK(encode_node(plan, extension_codecs, &root));
  std::string bytes;
  if (!root.SerializeToString(&bytes)) {
    return arrow::Status::UnknownError("plan codec: could not serialise the plan message");
  }
  return bytes;
}

arrow::Result<physical::ExecutionPlanPtr> decode_plan(std::string_view bytes,
                                                      const ExtensionCodecs& extension_codecs) {
  proto::PlanNode root;
  google::protobuf::io::ArrayInputStream raw(bytes.data(), static_cast<int>(bytes.size()));
  google::protobuf::io::CodedInputStream input(&raw);
  input.SetRecursionLimit(kMaxNesting);
  if (!root.ParseFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
    return arrow::Status::Invalid("plan codec: the bytes are not an encoded plan");
  }
  return decode_node(root, extension_codecs, 0);
}

}  // namespace quiver::distributed::codec

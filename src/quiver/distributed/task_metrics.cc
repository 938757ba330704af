#include "quiver/distributed/task_metrics.h"

#include <charconv>

#include "quiver/distributed/network/network_boundary.h"

namespace quiver::distributed {

namespace {

constexpr std::string_view kMetricsTag = "QMETR1\n";

void collect(const physical::ExecutionPlan& node,
             std::vector<const physical::ExecutionPlan*>& out) {
  out.push_back(&node);
  if (dynamic_cast<const NetworkBoundary*>(&node) != nullptr) return;
  for (const auto& child : node.children()) collect(*child, out);
}

arrow::Result<int64_t> parse_int(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return arrow::Status::Invalid("malformed task metrics: '", text, "' is not an integer");
  }
  return value;
}

// Splits `text` at `sep`, keeping empty pieces.
std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(sep, start);
    out.push_back(text.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

}  // namespace

std::vector<const physical::ExecutionPlan*> stage_nodes(const physical::ExecutionPlan& root) {
  std::vector<const physical::ExecutionPlan*> out;
  collect(root, out);
  return out;
}

TaskMetrics snapshot_task_metrics(const physical::ExecutionPlan& root) {
  TaskMetrics out;
  for (const auto* node : stage_nodes(root)) {
    const auto& m = node->metrics();
    out.push_back({m.output_rows(), m.elapsed_compute_ns(), m.counters()});
  }
  return out;
}

bool add_task_metrics(const physical::ExecutionPlan& root, const TaskMetrics& metrics) {
  const auto nodes = stage_nodes(root);
  if (nodes.size() != metrics.size()) return false;
  for (size_t i = 0; i < nodes.size(); ++i) {
    auto& target = nodes[i]->metrics();
    target.add_output_rows(metrics[i].output_rows);
    target.add_elapsed_compute(metrics[i].elapsed_compute_ns);
    for (const auto& [name, value] : metrics[i].counters) target.add(name, value);
  }
  return true;
}

std::string format_node_metrics(const NodeMetrics& metrics) {
  physical::MetricsSet set;
  set.add_output_rows(metrics.output_rows);
  set.add_elapsed_compute(metrics.elapsed_compute_ns);
  for (const auto& [name, value] : metrics.counters) set.add(name, value);
  return set.to_string();
}

// One line per node: `<output_rows> <elapsed_ns>[ <name>=<value>]...`.
std::string encode_task_metrics(const TaskMetrics& metrics) {
  std::string out(kMetricsTag);
  for (const auto& node : metrics) {
    out += std::to_string(node.output_rows) + " " + std::to_string(node.elapsed_compute_ns);
    for (const auto& [name, value] : node.counters) {
      out += " " + name + "=" + std::to_string(value);
    }
    out += "\n";
  }
  return out;
}

arrow::Result<TaskMetrics> decode_task_metrics(std::string_view bytes) {
  if (bytes.substr(0, kMetricsTag.size()) != kMetricsTag) {
    return arrow::Status::Invalid("malformed task metrics: unknown format tag");
  }
  bytes.remove_prefix(kMetricsTag.size());
  TaskMetrics out;
  for (std::string_view line : split(bytes, '\n')) {
    if (line.empty()) continue;
    auto fields = split(line, ' ');
    if (fields.size() < 2)
      return arrow::Status::Invalid("malformed task metrics line '", line, "'");
    NodeMetrics node;
    ARROW_ASSIGN_OR_RAISE(node.output_rows, parse_int(fields[0]));
    ARROW_ASSIGN_OR_RAISE(node.elapsed_compute_ns, parse_int(fields[1]));
    for (size_t i = 2; i < fields.size(); ++i) {
      size_t eq = fields[i].rfind('=');
      if (eq == std::string_view::npos || eq == 0) {
        return arrow::Status::Invalid("malformed task metrics counter '", fields[i], "'");
      }
      ARROW_ASSIGN_OR_RAISE(auto value, parse_int(fields[i].substr(eq + 1)));
      node.counters[std::string(fields[i].substr(0, eq))] = value;
    }
    out.push_back(std::move(node));
  }
  return out;
}

}  // namespace quiver::distributed

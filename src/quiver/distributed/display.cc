#include "quiver/distributed/display.h"

#include <vector>

#include "quiver/distributed/distributed_exec.h"
#include "quiver/distributed/network/network_boundary.h"
#include "quiver/distributed/stage.h"
#include "quiver/distributed/task_metrics.h"

namespace quiver::distributed {

namespace {

std::string repeat(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

// What EXPLAIN ANALYZE shows: nothing (plain display), the nodes' own metrics (the head stage's,
// or a lower stage's sum over its tasks), and per-task metrics of a lower stage (stage_nodes()
// order).
struct StageMetricsView {
  bool show = false;
  const std::vector<TaskMetrics>* tasks = nullptr;
  size_t next_node = 0;
};

// Writes the operator lines of one stage; collects the boundaries that read other stages.
void stage_lines(const physical::ExecutionPlan& node, int depth, const std::string& indent,
                 StageMetricsView& view, std::string& out,
                 std::vector<const NetworkBoundary*>& inputs) {
  const std::string lead = indent + "│ " + std::string(static_cast<size_t>(depth) * 2, ' ');
  const auto* boundary = dynamic_cast<const NetworkBoundary*>(&node);
  out += lead;
  if (boundary != nullptr) out += "[Stage " + std::to_string(boundary->plan().stage) + "] => ";
  out += node.display();
  const size_t index = view.next_node++;
  if (view.show) out += ", metrics=[" + node.metrics().to_string() + "]";
  if (view.tasks != nullptr) {
    for (size_t t = 0; t < view.tasks->size(); ++t) {
      const auto& task = (*view.tasks)[t];
      out += "\n" + lead + "    t" + std::to_string(t) + ": " +
             (index < task.size() ? format_node_metrics(task[index]) : "no metrics");
    }
  }
  out += "\n";
  if (boundary != nullptr) {
    inputs.push_back(boundary);
    return;
  }
  for (const auto& child : node.children()) {
    stage_lines(*child, depth + 1, indent, view, out, inputs);
  }
}

void draw_stage(const std::string& title, int stage, int tasks, const physical::ExecutionPlan& root,
                const std::string& indent, const StageTaskMetrics* metrics, std::string& out) {
  out += indent + "┌───── " + title + " ── Tasks: ";
  const std::string partitions = partition_range(root.output_partitions());
  for (int t = 0; t < tasks; ++t) out += "t" + std::to_string(t) + ":" + partitions + " ";
  out += "\n";
  StageMetricsView view;
  view.show = metrics != nullptr;
  if (metrics != nullptr) {
    auto it = metrics->find(stage);
    if (it != metrics->end()) view.tasks = &it->second;
  }
  std::vector<const NetworkBoundary*> inputs;
  stage_lines(root, 0, indent, view, out, inputs);
  out += indent + "└" + repeat("─", 50) + "\n";
  for (const auto* input : inputs) {
    draw_stage("Stage " + std::to_string(input->plan().stage), input->plan().stage,
               input->plan().input_tasks, *input->input(), indent + "  ", metrics, out);
  }
}

std::string dot_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

class DotWriter {
 public:
  std::string write(const physical::ExecutionPlan& plan) {
    out_ = "digraph distributed_plan {\n  node [shape=box, fontname=\"monospace\"];\n";
    if (const auto* root = dynamic_cast<const DistributedExec*>(&plan)) {
      cluster("DistributedExec (1 task)", *root->head());
    } else {
      cluster("single-node plan", plan);
    }
    out_ += "}\n";
    return out_;
  }

 private:
  // Draws a stage as a cluster and returns the id of its root node.
  std::string cluster(const std::string& label, const physical::ExecutionPlan& root) {
    std::vector<std::pair<std::string, const NetworkBoundary*>> inputs;
    out_ += "  subgraph cluster_" + std::to_string(clusters_++) + " {\n    label=\"" +
            dot_escape(label) + "\";\n";
    const std::string id = nodes(root, inputs);
    out_ += "  }\n";
    for (const auto& [consumer, boundary] : inputs) {
      const std::string producer =
          cluster("Stage " + std::to_string(boundary->plan().stage) + " (" +
                      std::to_string(boundary->plan().input_tasks) + " tasks)",
                  *boundary->input());
      out_ += "  " + producer + " -> " + consumer + " [style=dashed];\n";
    }
    return id;
  }

  std::string nodes(const physical::ExecutionPlan& node,
                    std::vector<std::pair<std::string, const NetworkBoundary*>>& inputs) {
    const std::string id = "n" + std::to_string(next_id_++);
    out_ += "    " + id + " [label=\"" + dot_escape(node.display()) + "\"];\n";
    if (const auto* boundary = dynamic_cast<const NetworkBoundary*>(&node)) {
      inputs.emplace_back(id, boundary);
      return id;
    }
    for (const auto& child : node.children()) {
      const std::string child_id = nodes(*child, inputs);
      out_ += "    " + child_id + " -> " + id + ";\n";
    }
    return id;
  }

  std::string out_;
  int clusters_ = 0;
  int next_id_ = 0;
};

}  // namespace

std::string display_distributed_plan(const physical::ExecutionPlan& plan, bool with_metrics) {
  const auto* root = dynamic_cast<const DistributedExec*>(&plan);
  if (root == nullptr) return physical::display_plan(plan, with_metrics);
  std::string out;
  const StageTaskMetrics metrics = with_metrics ? root->task_metrics() : StageTaskMetrics{};
  draw_stage("DistributedExec", 0, 1, *root->head(), "", with_metrics ? &metrics : nullptr, out);
  return out;
}

std::string distributed_plan_dot(const physical::ExecutionPlan& plan) {
  return DotWriter().write(plan);
}

}  // namespace quiver::distributed

#include "quiver/functions/aggregate_function.h"

#include <map>

#include "quiver/functions/builtin_functions.h"

namespace quiver::functions {

namespace {

const std::map<std::string, AggregateFunctionDef, std::less<>>& aggregates() {
  static const auto* table = [] {
    auto* out = new std::map<std::string, AggregateFunctionDef, std::less<>>();
    for (auto def : {count_function(), sum_function(), avg_function(), min_function(),
                     max_function(), subquery_rows_function()}) {
      std::string name = def.name;
      out->emplace(std::move(name), std::move(def));
    }
    // PostgreSQL and DataFusion spell avg also as mean.
    AggregateFunctionDef mean = avg_function();
    mean.name = "mean";
    out->emplace("mean", std::move(mean));
    return out;
  }();
  return *table;
}

}  // namespace

const AggregateFunctionDef* find_aggregate_function(std::string_view name) {
  const auto& table = aggregates();
  auto it = table.find(name);
  return it == table.end() ? nullptr : &it->second;
}

std::vector<std::string> aggregate_function_names() {
  std::vector<std::string> out;
  for (const auto& [name, def] : aggregates()) out.push_back(name);
  return out;
}

}  // namespace quiver::functions

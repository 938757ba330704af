#include "quiver/common/config.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <thread>

#include "quiver/common/error.h"

namespace quiver::common {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int default_target_partitions() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

arrow::Result<bool> parse_bool(std::string_view text) {
  const std::string v = lower(text);
  if (v == "true" || v == "on" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "off" || v == "0" || v == "no") return false;
  return arrow::Status::Invalid("expected a boolean (true/false), got '", text, "'");
}

arrow::Result<int64_t> parse_int(std::string_view text) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return arrow::Status::Invalid("expected an integer, got '", text, "'");
  }
  return v;
}

arrow::Result<double> parse_double(std::string_view text) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v)) {
    return arrow::Status::Invalid("expected a number, got '", text, "'");
  }
  return v;
}

arrow::Status validate(const ConfigEntry& entry, std::string_view value) {
  switch (entry.type) {
    case ConfigType::kBool:
      return parse_bool(value).status();
    case ConfigType::kInt:
      return parse_int(value).status();
    case ConfigType::kBytes:
      return parse_byte_size(value).status();
    case ConfigType::kDouble:
      return parse_double(value).status();
    case ConfigType::kString:
      return arrow::Status::OK();
  }
  return arrow::Status::OK();
}

}  // namespace

ConfigOptions::ConfigOptions() {
  const std::vector<ConfigEntry> builtins = {
      {"execution.target_partitions", ConfigType::kInt, std::to_string(default_target_partitions()),
       "Number of partitions operators use for parallel work (default: the core count)."},
      {"execution.batch_size", ConfigType::kInt, "8192", "Target number of rows per batch."},
      {"execution.memory_limit", ConfigType::kBytes, "0",
       "Memory a query may reserve, e.g. '512MB'; 0 means unlimited."},
      {"execution.collect_statistics", ConfigType::kBool, "true",
       "Read row counts and min/max statistics from Parquet metadata when planning."},
      {"execution.skip_partial_aggregation_probe_rows_threshold", ConfigType::kInt, "100000",
       "Input rows a Partial aggregation groups before it checks whether grouping reduces rows "
       "(see skip_partial_aggregation_probe_ratio_threshold)."},
      {"execution.skip_partial_aggregation_probe_ratio_threshold", ConfigType::kDouble, "0.8",
       "When a Partial aggregation's groups / input rows reach this ratio after the probe rows, "
       "it stops grouping and passes every row on as its own partial state."},
      {"optimizer.projection_pushdown", ConfigType::kBool, "true",
       "Read only the columns a query uses."},
      {"optimizer.filter_pushdown", ConfigType::kBool, "true",
       "Push predicates into scans (Parquet row groups are pruned by statistics)."},
      {"optimizer.limit_pushdown", ConfigType::kBool, "true", "Push LIMIT below projections."},
      {"optimizer.join_reordering", ConfigType::kBool, "true",
       "Order inner joins by estimated size (smaller side builds the hash table)."},
      {"optimizer.constant_folding", ConfigType::kBool, "true",
       "Evaluate constant sub-expressions while planning."},
      {"optimizer.single_distinct_to_group_by", ConfigType::kBool, "true",
       "Compute aggregates that are all DISTINCT over one argument (count(DISTINCT x)) by "
       "grouping on the argument first, then aggregating the distinct values."},
      {"optimizer.eliminate_common_subexpressions", ConfigType::kBool, "true",
       "Compute an expression repeated in a projection or aggregation once per row."},
      {"optimizer.repartition_aggregations", ConfigType::kBool, "true",
       "Plan two-phase aggregations with a hash repartition between them."},
      {"optimizer.hash_join_single_partition_threshold", ConfigType::kInt, "131072",
       "Estimated rows of a hash join's build side up to which it is collected once "
       "(CollectLeft) instead of hash-partitioning both sides."},
      {"explain.show_statistics", ConfigType::kBool, "false", "Show statistics in EXPLAIN output."},
  };
  for (const auto& e : builtins) {
    (void)add(e);
  }
}

arrow::Status ConfigOptions::add(ConfigEntry entry) {
  if (slots_.count(entry.key) != 0) {
    return arrow::Status::Invalid("configuration option '", entry.key, "' is already registered");
  }
  ARROW_RETURN_NOT_OK(validate(entry, entry.default_value));
  std::string key = entry.key;
  std::string value = entry.default_value;
  slots_.emplace(std::move(key), Slot{std::move(entry), std::move(value)});
  return arrow::Status::OK();
}

arrow::Status ConfigOptions::register_extension(const ConfigExtension& extension) {
  const std::string prefix = extension.prefix() + ".";
  for (const auto& [key, slot] : slots_) {
    if (key.rfind(prefix, 0) == 0) {
      return arrow::Status::Invalid("configuration namespace '", extension.prefix(),
                                    "' is already registered");
    }
  }
  for (auto entry : extension.entries()) {
    if (entry.key.rfind(prefix, 0) != 0) entry.key = prefix + entry.key;
    ARROW_RETURN_NOT_OK(add(std::move(entry)));
  }
  return arrow::Status::OK();
}

arrow::Result<std::string> ConfigOptions::resolve_key(std::string_view key) const {
  std::string k = lower(key);
  // Accept DataFusion-style "quiver." prefixes too.
  if (k.rfind("quiver.", 0) == 0) k = k.substr(7);
  if (slots_.count(k) != 0) return k;
  if (k.find('.') == std::string::npos) {
    std::vector<std::string> matches;
    for (const auto& [full, slot] : slots_) {
      const auto dot = full.rfind('.');
      if (full.substr(dot + 1) == k) matches.push_back(full);
    }
    if (matches.size() == 1) return matches[0];
    if (matches.size() > 1) {
      std::string all;
      for (const auto& m : matches) all += (all.empty() ? "" : ", ") + m;
      return arrow::Status::Invalid("configuration option '", key, "' is ambiguous: ", all);
    }
  }
  std::vector<std::string> keys;
  for (const auto& [full, slot] : slots_) keys.push_back(full);
  return arrow::Status::Invalid("unknown configuration option '", key, "'", did_you_mean(k, keys));
}

arrow::Status ConfigOptions::set(std::string_view key, std::string_view value) {
  ARROW_ASSIGN_OR_RAISE(std::string full, resolve_key(key));
  Slot& slot = slots_.at(full);
  auto st = validate(slot.entry, value);
  if (!st.ok()) {
    return arrow::Status::Invalid("invalid value for '", full, "': ", st.message());
  }
  if (slot.entry.type == ConfigType::kBool) {
    slot.value = *parse_bool(value) ? "true" : "false";
  } else {
    slot.value = std::string(value);
  }
  return arrow::Status::OK();
}

arrow::Status ConfigOptions::reset(std::string_view key) {
  ARROW_ASSIGN_OR_RAISE(std::string full, resolve_key(key));
  Slot& slot = slots_.at(full);
  slot.value = slot.entry.default_value;
  return arrow::Status::OK();
}

arrow::Result<std::string> ConfigOptions::get(std::string_view key) const {
  ARROW_ASSIGN_OR_RAISE(std::string full, resolve_key(key));
  return slots_.at(full).value;
}

int64_t ConfigOptions::get_int(std::string_view key) const {
  auto it = slots_.find(std::string(key));
  if (it == slots_.end()) return 0;
  if (it->second.entry.type == ConfigType::kBytes) {
    return parse_byte_size(it->second.value).ValueOr(0);
  }
  return parse_int(it->second.value).ValueOr(0);
}

double ConfigOptions::get_double(std::string_view key) const {
  auto it = slots_.find(std::string(key));
  return it == slots_.end() ? 0.0 : parse_double(it->second.value).ValueOr(0.0);
}

bool ConfigOptions::get_bool(std::string_view key) const {
  auto it = slots_.find(std::string(key));
  return it != slots_.end() && parse_bool(it->second.value).ValueOr(false);
}

std::string ConfigOptions::get_string(std::string_view key) const {
  auto it = slots_.find(std::string(key));
  return it == slots_.end() ? std::string() : it->second.value;
}

std::vector<ConfigEntry> ConfigOptions::entries() const {
  std::vector<ConfigEntry> out;
  for (const auto& [key, slot] : slots_) {
    ConfigEntry e = slot.entry;
    e.default_value = slot.value;
    out.push_back(std::move(e));
  }
  return out;
}

std::map<std::string, std::string> ConfigOptions::changed() const {
  std::map<std::string, std::string> out;
  for (const auto& [key, slot] : slots_) {
    if (slot.value != slot.entry.default_value) out[key] = slot.value;
  }
  return out;
}

arrow::Result<int64_t> parse_byte_size(std::string_view text) {
  std::string s = lower(text);
  s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); }),
          s.end());
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  if (i == 0)
    return arrow::Status::Invalid("expected a byte size such as '512MB', got '", text, "'");
  double number = 0;
  try {
    number = std::stod(s.substr(0, i));
  } catch (...) {
    return arrow::Status::Invalid("expected a byte size such as '512MB', got '", text, "'");
  }
  const std::string unit = s.substr(i);
  double mult = 1;
  if (unit.empty() || unit == "b") {
    mult = 1;
  } else if (unit == "k" || unit == "kb" || unit == "kib") {
    mult = 1024.0;
  } else if (unit == "m" || unit == "mb" || unit == "mib") {
    mult = 1024.0 * 1024;
  } else if (unit == "g" || unit == "gb" || unit == "gib") {
    mult = 1024.0 * 1024 * 1024;
  } else if (unit == "t" || unit == "tb" || unit == "tib") {
    mult = 1024.0 * 1024 * 1024 * 1024;
  } else {
    return arrow::Status::Invalid("unknown byte unit '", unit, "' in '", text,
                                  "' (use B, KB, MB, GB or TB)");
  }
  return static_cast<int64_t>(std::llround(number * mult));
}

std::string format_bytes(int64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0) {
    std::snprintf(buf, sizeof(buf), "%lld B", static_cast<long long>(bytes));
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f %s", v, units[u]);
  }
  return buf;
}

}  // namespace quiver::common

#include "quiver/physical/metrics.h"

#include <cstdio>

namespace quiver::physical {

void MetricsSet::add(const std::string& name, int64_t value) {
  std::lock_guard<std::mutex> lock(mutex_);
  counters_[name] += value;
}

std::map<std::string, int64_t> MetricsSet::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

std::string MetricsSet::to_string() const {
  char time[32];
  const double ns = static_cast<double>(elapsed_compute_ns());
  if (ns >= 1e9) {
    std::snprintf(time, sizeof(time), "%.2fs", ns / 1e9);
  } else if (ns >= 1e6) {
    std::snprintf(time, sizeof(time), "%.2fms", ns / 1e6);
  } else {
    std::snprintf(time, sizeof(time), "%.2fµs", ns / 1e3);
  }
  std::string out = "output_rows=" + std::to_string(output_rows()) + ", elapsed_compute=" + time;
  for (const auto& [name, value] : counters()) {
    out += ", " + name + "=" + std::to_string(value);
  }
  return out;
}

}  // namespace quiver::physical

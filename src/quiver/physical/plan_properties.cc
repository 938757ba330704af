#include "quiver/physical/plan_properties.h"

namespace quiver::physical {

std::string Partitioning::to_string() const {
  switch (kind) {
    case Kind::kHash:
      return "Hash(" + physical::to_string(exprs) + ", " + std::to_string(count) + ")";
    case Kind::kRoundRobinBatch:
      return "RoundRobinBatch(" + std::to_string(count) + ")";
    case Kind::kUnknown:
      break;
  }
  return "UnknownPartitioning(" + std::to_string(count) + ")";
}

std::string PhysicalSortExpr::to_string() const {
  return expr->to_string() + (ascending ? " ASC" : " DESC") +
         (nulls_first ? " NULLS FIRST" : " NULLS LAST");
}

std::string to_string(const LexOrdering& ordering) {
  std::string out = "[";
  for (size_t i = 0; i < ordering.size(); ++i) {
    if (i > 0) out += ", ";
    out += ordering[i].to_string();
  }
  return out + "]";
}

bool same_ordering(const LexOrdering& a, const LexOrdering& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].ascending != b[i].ascending || a[i].nulls_first != b[i].nulls_first ||
        a[i].expr->to_string() != b[i].expr->to_string()) {
      return false;
    }
  }
  return true;
}

}  // namespace quiver::physical

#include "quiver/optimizer/implied_side_predicates.h"

#include <vector>

#include "quiver/optimizer/expr_rewrite.h"
#include "quiver/optimizer/extract_equijoin.h"

namespace quiver::optimizer {

using logical::BinaryOp;
using logical::ExprKind;
using logical::ExprPtr;

namespace {

void split_disjunction(const ExprPtr& e, std::vector<ExprPtr>* out) {
  if (e->kind == ExprKind::kBinary && e->op == BinaryOp::kOr) {
    split_disjunction(e->args[0], out);
    split_disjunction(e->args[1], out);
  } else {
    out->push_back(e);
  }
}

}  // namespace

ExprPtr implied_side_predicate(const ExprPtr& condition, const logical::PlanSchema& side,
                               const logical::PlanSchema& other) {
  if (!condition || contains_volatile(*condition) || contains_subquery(*condition)) return nullptr;
  std::vector<ExprPtr> branches;
  split_disjunction(condition, &branches);
  if (branches.size() < 2) return nullptr;
  ExprPtr out;
  for (const auto& branch : branches) {
    std::vector<ExprPtr> own;
    for (const auto& c : split_conjunction(branch)) {
      if (expr_side(*c, side, other) == JoinSide::kLeft) own.push_back(c);
    }
    if (own.empty()) return nullptr;  // this branch says nothing about `side`
    ExprPtr restricted = conjoin(own);
    out = out ? logical::binary(out, BinaryOp::kOr, restricted) : restricted;
  }
  return out;
}

}  // namespace quiver::optimizer

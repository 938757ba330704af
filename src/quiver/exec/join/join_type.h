#pragma once

#include <arrow/type.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quiver/physical/physical_expr.h"
#include "quiver/physical/plan_properties.h"

namespace quiver::exec {

/// Physical join types. Semi and anti joins return only the named side's columns.
enum class JoinType { kInner, kLeft, kRight, kFull, kLeftSemi, kLeftAnti, kRightSemi, kRightAnti };

/// Returns the name plans print: "Inner", "Left", "Right", "Full", "LeftSemi", "LeftAnti",
/// "RightSemi", "RightAnti".
const char* join_type_name(JoinType type);

/// Returns the type of the same join with its inputs swapped (Left <-> Right, LeftSemi <->
/// RightSemi, ...).
JoinType swap_join_type(JoinType type);

/// Returns true when the join must emit left rows that found no match (Left, Full, LeftSemi,
/// LeftAnti): with a collected left side, this happens once, after every right partition ends.
bool emits_unmatched_left(JoinType type);

/// Returns when a join whose probe side is the right input emits rows: at the end only for
/// LeftSemi/LeftAnti (their rows are known once every right row was seen), both during and at
/// the end for Left/Full (unmatched left rows come last), as input arrives otherwise.
physical::EmissionType join_emission(JoinType type);

/// Returns the output schema: left fields then right fields for Inner/Left/Right/Full (the side
/// that may be padded with NULLs becomes nullable); the left fields only for LeftSemi/LeftAnti;
/// the right fields only for RightSemi/RightAnti.
std::shared_ptr<arrow::Schema> join_output_schema(const arrow::Schema& left,
                                                  const arrow::Schema& right, JoinType type);

/// One equi-join key pair: `left` is evaluated over the left input, `right` over the right input.
struct JoinOn {
  physical::PhysicalExprPtr left;
  physical::PhysicalExprPtr right;
};

/// Renders keys as in plans: `[(a@0, b@1), (c@2, d@0)]`.
std::string to_string(const std::vector<JoinOn>& on);

/// A residual join condition, evaluated for candidate row pairs. `expr` is bound to the
/// concatenation of the left input's schema and the right input's schema (left fields first,
/// right field i at position left.num_fields() + i), whatever the join type's output schema is.
/// A pair matches when `expr` is true (NULL counts as false).
struct JoinFilter {
  physical::PhysicalExprPtr expr;
};

/// Returns the schema a JoinFilter is bound to: left fields then right fields, all nullable.
std::shared_ptr<arrow::Schema> join_filter_schema(const arrow::Schema& left,
                                                  const arrow::Schema& right);

}  // namespace quiver::exec

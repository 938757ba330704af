#pragma once

#include <arrow/result.h>
#include <arrow/type.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quiver/logical/expr.h"

namespace quiver::logical {

/// A field of a logical plan's output, with the relation (table name or alias) it comes from.
struct QualifiedField {
  std::optional<std::string> qualifier;
  std::shared_ptr<arrow::Field> field;
  /// Returns `qualifier.name` or `name`.
  std::string flat_name() const;
};

/// The output schema of a logical plan: Arrow fields plus qualifiers, so `t.a` and `u.a` can be
/// told apart. Column resolution is exact on the stored names, as in PostgreSQL: the parser
/// lower-cases unquoted identifiers, so `SELECT raintoday` does not find a column "RainToday";
/// the error then suggests the quoted spelling (`did you mean 'RainToday'? quote it as
/// "RainToday"`). An unqualified name present under two qualifiers is an error naming both.
class PlanSchema {
 public:
  PlanSchema() = default;
  /// Creates a schema from qualified fields.
  explicit PlanSchema(std::vector<QualifiedField> fields) : fields_(std::move(fields)) {}
  /// Creates a schema from an Arrow schema, all fields qualified by `qualifier`.
  static PlanSchema from_arrow(const arrow::Schema& schema,
                               std::optional<std::string> qualifier = std::nullopt);

  /// Returns the fields.
  const std::vector<QualifiedField>& fields() const { return fields_; }
  /// Returns the number of fields.
  int num_fields() const { return static_cast<int>(fields_.size()); }
  /// Returns field i.
  const QualifiedField& field(int i) const { return fields_[static_cast<size_t>(i)]; }

  /// Returns the index of a column; errors name the column, say when it is ambiguous, and
  /// suggest the closest valid name ("did you mean").
  arrow::Result<int> index_of(const Column& column) const;
  /// Returns the index or -1 without an error.
  int find(const Column& column) const;

  /// Returns an Arrow schema with the unqualified names.
  std::shared_ptr<arrow::Schema> to_arrow() const;
  /// Returns a copy with every field re-qualified by `qualifier`.
  PlanSchema with_qualifier(std::optional<std::string> qualifier) const;
  /// Returns the concatenation of two schemas (for joins).
  static PlanSchema concat(const PlanSchema& left, const PlanSchema& right);

 private:
  std::vector<QualifiedField> fields_;
};

}  // namespace quiver::logical

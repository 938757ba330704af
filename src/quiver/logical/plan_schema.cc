#include "quiver/logical/plan_schema.h"

#include <arrow/status.h>

#include <cctype>

#include "quiver/common/error.h"

namespace quiver::logical {

namespace {

// True when `name` can be written in SQL without quotes (lower case identifier).
bool is_plain_identifier(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::islower(u) || std::isdigit(u) || c == '_')) return false;
  }
  return true;
}

// Renders an identifier as a user would have to type it.
std::string sql_identifier(const std::string& name) {
  if (is_plain_identifier(name)) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool same_qualifier(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  return a == b;
}

std::string qualifier_text(const std::optional<std::string>& q) {
  return q ? "\"" + *q + "\"" : "an unqualified column";
}

}  // namespace

std::string QualifiedField::flat_name() const {
  return qualifier ? *qualifier + "." + field->name() : field->name();
}

PlanSchema PlanSchema::from_arrow(const arrow::Schema& schema,
                                  std::optional<std::string> qualifier) {
  std::vector<QualifiedField> fields;
  fields.reserve(static_cast<size_t>(schema.num_fields()));
  for (const auto& f : schema.fields()) fields.push_back(QualifiedField{qualifier, f});
  return PlanSchema(std::move(fields));
}

int PlanSchema::find(const Column& column) const {
  int found = -1;
  for (int i = 0; i < num_fields(); ++i) {
    const auto& f = field(i);
    if (f.field->name() != column.name) continue;
    if (column.relation && !same_qualifier(f.qualifier, column.relation)) continue;
    if (found < 0) {
      found = i;
    } else if (!same_qualifier(field(found).qualifier, f.qualifier)) {
      return -1;  // ambiguous
    }
  }
  if (found < 0 && column.relation) {
    // An unqualified output column whose name contains a dot, such as `t.a + Int64(1)` read
    // back as a qualified reference.
    const std::string flat = column.flat_name();
    for (int i = 0; i < num_fields(); ++i) {
      if (!field(i).qualifier && field(i).field->name() == flat) return i;
    }
  }
  return found;
}

arrow::Result<int> PlanSchema::index_of(const Column& column) const {
  const int index = find(column);
  if (index >= 0) return index;

  // Ambiguous: the same unqualified name under two qualifiers.
  if (!column.relation) {
    std::optional<int> first;
    for (int i = 0; i < num_fields(); ++i) {
      if (field(i).field->name() != column.name) continue;
      if (!first) {
        first = i;
      } else if (!same_qualifier(field(*first).qualifier, field(i).qualifier)) {
        return arrow::Status::Invalid("column reference \"", column.name, "\" is ambiguous: it ",
                                      "exists in ", qualifier_text(field(*first).qualifier),
                                      " and in ", qualifier_text(field(i).qualifier));
      }
    }
  }

  // Not found: suggest the closest name, and how to spell it when it needs quotes.
  std::vector<std::string> candidates;
  std::vector<std::string> spellings;
  for (const auto& f : fields_) {
    if (column.relation) {
      candidates.push_back(f.flat_name());
      spellings.push_back((f.qualifier ? sql_identifier(*f.qualifier) + "." : std::string()) +
                          sql_identifier(f.field->name()));
    } else {
      candidates.push_back(f.field->name());
      spellings.push_back(sql_identifier(f.field->name()));
    }
  }
  const std::string wanted = column.flat_name();
  std::string hint;
  const std::string match = common::closest_match(wanted, candidates);
  for (size_t i = 0; i < candidates.size() && !match.empty(); ++i) {
    if (candidates[i] != match) continue;
    hint = " (did you mean '" + match + "'?";
    if (spellings[i] != match) {
      hint += " quote it as " + spellings[i] + ": unquoted names are lower-cased";
    }
    hint += ")";
    break;
  }
  return arrow::Status::Invalid("column \"", wanted, "\" does not exist", hint);
}

std::shared_ptr<arrow::Schema> PlanSchema::to_arrow() const {
  arrow::FieldVector fields;
  fields.reserve(fields_.size());
  for (const auto& f : fields_) fields.push_back(f.field);
  return arrow::schema(std::move(fields));
}

PlanSchema PlanSchema::with_qualifier(std::optional<std::string> qualifier) const {
  std::vector<QualifiedField> fields = fields_;
  for (auto& f : fields) f.qualifier = qualifier;
  return PlanSchema(std::move(fields));
}

PlanSchema PlanSchema::concat(const PlanSchema& left, const PlanSchema& right) {
  std::vector<QualifiedField> fields = left.fields_;
  fields.insert(fields.end(), right.fields_.begin(), right.fields_.end());
  return PlanSchema(std::move(fields));
}

}  // namespace quiver::logical

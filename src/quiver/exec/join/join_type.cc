#include "quiver/exec/join/join_type.h"

namespace quiver::exec {

const char* join_type_name(JoinType type) {
  switch (type) {
    case JoinType::kInner:
      return "Inner";
    case JoinType::kLeft:
      return "Left";
    case JoinType::kRight:
      return "Right";
    case JoinType::kFull:
      return "Full";
    case JoinType::kLeftSemi:
      return "LeftSemi";
    case JoinType::kLeftAnti:
      return "LeftAnti";
    case JoinType::kRightSemi:
      return "RightSemi";
    case JoinType::kRightAnti:
      return "RightAnti";
  }
  return "?";
}

JoinType swap_join_type(JoinType type) {
  switch (type) {
    case JoinType::kLeft:
      return JoinType::kRight;
    case JoinType::kRight:
      return JoinType::kLeft;
    case JoinType::kLeftSemi:
      return JoinType::kRightSemi;
    case JoinType::kRightSemi:
      return JoinType::kLeftSemi;
    case JoinType::kLeftAnti:
      return JoinType::kRightAnti;
    case JoinType::kRightAnti:
      return JoinType::kLeftAnti;
    case JoinType::kInner:
    case JoinType::kFull:
      break;
  }
  return type;
}

bool emits_unmatched_left(JoinType type) {
  return type == JoinType::kLeft || type == JoinType::kFull || type == JoinType::kLeftSemi ||
         type == JoinType::kLeftAnti;
}

physical::EmissionType join_emission(JoinType type) {
  if (type == JoinType::kLeftSemi || type == JoinType::kLeftAnti) {
    return physical::EmissionType::kFinal;
  }
  return emits_unmatched_left(type) ? physical::EmissionType::kBoth
                                    : physical::EmissionType::kIncremental;
}

namespace {

void append_fields(const arrow::Schema& schema, bool make_nullable, arrow::FieldVector* out) {
  for (const auto& f : schema.fields()) out->push_back(make_nullable ? f->WithNullable(true) : f);
}

}  // namespace

std::shared_ptr<arrow::Schema> join_output_schema(const arrow::Schema& left,
                                                  const arrow::Schema& right, JoinType type) {
  arrow::FieldVector fields;
  switch (type) {
    case JoinType::kLeftSemi:
    case JoinType::kLeftAnti:
      append_fields(left, false, &fields);
      break;
    case JoinType::kRightSemi:
    case JoinType::kRightAnti:
      append_fields(right, false, &fields);
      break;
    default:
      append_fields(left, type == JoinType::kRight || type == JoinType::kFull, &fields);
      append_fields(right, type == JoinType::kLeft || type == JoinType::kFull, &fields);
      break;
  }
  return arrow::schema(std::move(fields));
}

std::string to_string(const std::vector<JoinOn>& on) {
  std::string out = "[";
  for (size_t i = 0; i < on.size(); ++i) {
    if (i > 0) out += ", ";
    out += "(" + on[i].left->to_string() + ", " + on[i].right->to_string() + ")";
  }
  return out + "]";
}

std::shared_ptr<arrow::Schema> join_filter_schema(const arrow::Schema& left,
                                                  const arrow::Schema& right) {
  arrow::FieldVector fields;
  append_fields(left, true, &fields);
  append_fields(right, true, &fields);
  return arrow::schema(std::move(fields));
}

}  // namespace quiver::exec

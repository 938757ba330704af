#include "quiver/exec/sort/sort_batch.h"

#include <arrow/compute/api_vector.h>

#include <string>
#include <vector>

namespace quiver::exec {

arrow::Result<std::shared_ptr<arrow::RecordBatch>> sort_batch(
    const std::shared_ptr<arrow::RecordBatch>& batch, const physical::LexOrdering& ordering,
    std::optional<int64_t> limit) {
  namespace cp = arrow::compute;
  if (batch->num_rows() == 0) return batch;
  // The keys become the columns of a batch of their own ("k0", "k1", ...).
  arrow::FieldVector fields;
  std::vector<std::shared_ptr<arrow::Array>> keys;
  std::vector<cp::SortKey> sort_keys;
  for (size_t k = 0; k < ordering.size(); ++k) {
    ARROW_ASSIGN_OR_RAISE(auto key, physical::evaluate_to_array(*ordering[k].expr, *batch));
    const std::string name = "k" + std::to_string(k);
    fields.push_back(arrow::field(name, key->type()));
    keys.push_back(std::move(key));
    sort_keys.emplace_back(
        arrow::FieldRef(name),
        ordering[k].ascending ? cp::SortOrder::Ascending : cp::SortOrder::Descending,
        ordering[k].nulls_first ? cp::NullPlacement::AtStart : cp::NullPlacement::AtEnd);
  }
  auto key_batch = arrow::RecordBatch::Make(arrow::schema(fields), batch->num_rows(), keys);
  ARROW_ASSIGN_OR_RAISE(auto indices,
                        cp::SortIndices(arrow::Datum(key_batch), cp::SortOptions(sort_keys)));
  if (limit.has_value() && *limit < indices->length()) indices = indices->Slice(0, *limit);
  ARROW_ASSIGN_OR_RAISE(arrow::Datum sorted, cp::Take(arrow::Datum(batch), arrow::Datum(indices)));
  return sorted.record_batch();
}

}  // namespace quiver::exec

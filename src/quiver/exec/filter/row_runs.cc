#include "quiver/exec/filter/row_runs.h"

#include <arrow/array/data.h>
#include <arrow/array/util.h>
#include <arrow/buffer.h>
#include <arrow/compute/api_vector.h>
#include <arrow/datum.h>
#include <arrow/util/bit_run_reader.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/bitmap_ops.h>

#include <cstring>
#include <limits>

namespace quiver::exec {

namespace {

// Runs shorter than this on average make the rows listed one by one.
constexpr int64_t kShortRuns = 8;

bool short_runs(int64_t num_runs, int64_t count) { return num_runs * kShortRuns > count; }

// Runs shorter than this are copied bit by bit (CopyBitmap's set-up costs more).
constexpr int64_t kShortBitRun = 32;

// Copies the selected bits of `src` (from bit `offset`) into a new bitmap of runs.count bits.
arrow::Result<std::shared_ptr<arrow::Buffer>> gather_bits(const uint8_t* src, int64_t offset,
                                                          const RowRuns& runs) {
  ARROW_ASSIGN_OR_RAISE(auto out, arrow::AllocateEmptyBitmap(runs.count));
  uint8_t* dst = out->mutable_data();
  for (int64_t k = 0; k < static_cast<int64_t>(runs.rows.size()); ++k) {
    if (arrow::bit_util::GetBit(src, offset + runs.rows[static_cast<size_t>(k)])) {
      arrow::bit_util::SetBit(dst, k);
    }
  }
  int64_t at = 0;
  for (const auto& r : runs.runs) {
    if (r.length < kShortBitRun) {
      for (int64_t i = 0; i < r.length; ++i) {
        if (arrow::bit_util::GetBit(src, offset + r.start + i)) {
          arrow::bit_util::SetBit(dst, at + i);
        }
      }
    } else {
      arrow::internal::CopyBitmap(src, offset + r.start, r.length, dst, at);
    }
    at += r.length;
  }
  return out;
}

template <typename T>
void copy_runs(const T* src, const RowRuns& runs, T* dst) {
  if (!runs.rows.empty()) {
    const int32_t* rows = runs.rows.data();
    for (int64_t k = 0; k < runs.count; ++k) dst[k] = src[rows[k]];
    return;
  }
  for (const auto& r : runs.runs) {
    const T* from = src + r.start;
    if (r.length >= 8) {
      std::memcpy(dst, from, static_cast<size_t>(r.length) * sizeof(T));
    } else {
      for (int64_t i = 0; i < r.length; ++i) dst[i] = from[i];
    }
    dst += r.length;
  }
}

struct Bytes16 {
  uint64_t lo, hi;
};

arrow::Result<std::shared_ptr<arrow::Buffer>> gather_fixed(const arrow::ArrayData& data, int width,
                                                           const RowRuns& runs) {
  ARROW_ASSIGN_OR_RAISE(auto out, arrow::AllocateBuffer(runs.count * width));
  const uint8_t* src = data.buffers[1]->data() + data.offset * width;
  uint8_t* dst = out->mutable_data();
  switch (width) {
    case 1:
      copy_runs(src, runs, dst);
      break;
    case 2:
      copy_runs(reinterpret_cast<const uint16_t*>(src), runs, reinterpret_cast<uint16_t*>(dst));
      break;
    case 4:
      copy_runs(reinterpret_cast<const uint32_t*>(src), runs, reinterpret_cast<uint32_t*>(dst));
      break;
    case 8:
      copy_runs(reinterpret_cast<const uint64_t*>(src), runs, reinterpret_cast<uint64_t*>(dst));
      break;
    case 16:
      copy_runs(reinterpret_cast<const Bytes16*>(src), runs, reinterpret_cast<Bytes16*>(dst));
      break;
    default:
      for (int32_t row : runs.rows) {
        std::memcpy(dst, src + int64_t{row} * width, static_cast<size_t>(width));
        dst += width;
      }
      for (const auto& r : runs.runs) {
        std::memcpy(dst, src + r.start * width, static_cast<size_t>(r.length * width));
        dst += r.length * width;
      }
  }
  return std::shared_ptr<arrow::Buffer>(std::move(out));
}

template <typename Offset>
arrow::Status gather_binary(const arrow::ArrayData& data, const RowRuns& runs,
                            std::shared_ptr<arrow::Buffer>* offsets_out,
                            std::shared_ptr<arrow::Buffer>* bytes_out) {
  const Offset* offsets = data.GetValues<Offset>(1);
  const uint8_t* bytes = data.buffers[2] == nullptr ? nullptr : data.buffers[2]->data();
  int64_t total = 0;
  for (int32_t row : runs.rows) total += offsets[row + 1] - offsets[row];
  for (const auto& r : runs.runs) total += offsets[r.start + r.length] - offsets[r.start];
  if (total > std::numeric_limits<Offset>::max()) {
    return arrow::Status::CapacityError("FilterExec: filtered string column exceeds ", total,
                                        " bytes");
  }
  ARROW_ASSIGN_OR_RAISE(auto out_offsets, arrow::AllocateBuffer((runs.count + 1) * sizeof(Offset)));
  ARROW_ASSIGN_OR_RAISE(auto out_bytes, arrow::AllocateBuffer(total));
  Offset* o = reinterpret_cast<Offset*>(out_offsets->mutable_data());
  uint8_t* b = out_bytes->mutable_data();
  Offset base = 0;
  *o++ = 0;
  for (int32_t row : runs.rows) {
    const Offset len = offsets[row + 1] - offsets[row];
    std::memcpy(b + base, bytes + offsets[row], static_cast<size_t>(len));
    base += len;
    *o++ = base;
  }
  for (const auto& r : runs.runs) {
    const Offset first = offsets[r.start];
    const Offset* in = offsets + r.start + 1;
    const Offset shift = base - first;
    for (int64_t i = 0; i < r.length; ++i) o[i] = in[i] + shift;
    o += r.length;
    const Offset len = offsets[r.start + r.length] - first;
    if (len > 0) std::memcpy(b + base, bytes + first, static_cast<size_t>(len));
    base += len;
  }
  *offsets_out = std::move(out_offsets);
  *bytes_out = std::move(out_bytes);
  return arrow::Status::OK();
}

bool is_plain_fixed_width(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::BOOL:
    case arrow::Type::NA:
    case arrow::Type::DICTIONARY:
    case arrow::Type::EXTENSION:
      return false;
    default:
      return arrow::is_fixed_width(type.id()) && type.bit_width() > 0 && type.bit_width() % 8 == 0;
  }
}

arrow::Result<std::shared_ptr<arrow::Array>> take_runs(const std::shared_ptr<arrow::Array>& column,
                                                       const RowRuns& runs) {
  std::vector<int64_t> rows(runs.rows.begin(), runs.rows.end());
  rows.reserve(static_cast<size_t>(runs.count));
  for (const auto& r : runs.runs) {
    for (int64_t i = 0; i < r.length; ++i) rows.push_back(r.start + i);
  }
  auto indices = std::make_shared<arrow::Int64Array>(runs.count, arrow::Buffer::Wrap(rows));
  ARROW_ASSIGN_OR_RAISE(arrow::Datum taken,
                        arrow::compute::Take(arrow::Datum(column), arrow::Datum(indices)));
  return taken.make_array();
}

}  // namespace

RowRuns RowRuns::from_bitmap(const uint8_t* bits, int64_t offset, int64_t rows) {
  RowRuns out;
  std::vector<uint8_t> aligned;
  if (offset % 8 != 0) {
    aligned.assign(static_cast<size_t>(arrow::bit_util::BytesForBits(rows)), 0);
    arrow::internal::CopyBitmap(bits, offset, rows, aligned.data(), 0);
    bits = aligned.data();
    offset = 0;
  }
  bits += offset / 8;
  // Count the rows and the runs (a set bit whose predecessor is clear starts one) word by word.
  auto word_at = [&](int64_t w) {
    uint64_t word = 0;
    const int64_t left = rows - w * 64;
    std::memcpy(&word, bits + w * 8, static_cast<size_t>(left >= 64 ? 8 : (left + 7) / 8));
    if (left < 64) word &= (uint64_t{1} << left) - 1;
    return word;
  };
  const int64_t words = (rows + 63) / 64;
  uint64_t carry = 0;
  for (int64_t w = 0; w < words; ++w) {
    const uint64_t word = word_at(w);
    out.count += __builtin_popcountll(word);
    out.num_runs += __builtin_popcountll(word & ~((word << 1) | carry));
    carry = word >> 63;
  }
  if (short_runs(out.num_runs, out.count)) {
    out.rows.resize(static_cast<size_t>(out.count));
    int32_t* at = out.rows.data();
    for (int64_t w = 0; w < words; ++w) {
      for (uint64_t word = word_at(w); word != 0; word &= word - 1) {
        *at++ = static_cast<int32_t>(w * 64 + __builtin_ctzll(word));
      }
    }
  } else {
    out.runs.reserve(static_cast<size_t>(out.num_runs));
    arrow::internal::VisitSetBitRunsVoid(bits, 0, rows, [&](int64_t pos, int64_t len) {
      out.runs.push_back(Run{pos, len});
    });
  }
  return out;
}

RowRuns RowRuns::from_indices(const std::vector<int32_t>& rows) {
  RowRuns out;
  out.count = static_cast<int64_t>(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    out.num_runs += i == 0 || rows[i - 1] + 1 != rows[i];
  }
  if (short_runs(out.num_runs, out.count)) {
    out.rows = rows;
    return out;
  }
  for (int32_t row : rows) {
    if (!out.runs.empty() && out.runs.back().start + out.runs.back().length == row) {
      ++out.runs.back().length;
    } else {
      out.runs.push_back(Run{row, 1});
    }
  }
  return out;
}

arrow::Result<std::shared_ptr<arrow::Array>> gather_runs(
    const std::shared_ptr<arrow::Array>& column, const RowRuns& runs) {
  if (runs.count == column->length()) return column;
  if (runs.count == 0) return column->Slice(0, 0);
  if (runs.num_runs == 1) return column->Slice(runs.first(), runs.count);
  const arrow::ArrayData& data = *column->data();
  const arrow::DataType& type = *column->type();
  if (type.id() == arrow::Type::NA) return arrow::MakeArrayOfNull(column->type(), runs.count);
  std::shared_ptr<arrow::Buffer> validity;
  if (column->null_count() > 0 && data.buffers[0] != nullptr) {
    ARROW_ASSIGN_OR_RAISE(validity, gather_bits(data.buffers[0]->data(), data.offset, runs));
  }
  std::vector<std::shared_ptr<arrow::Buffer>> buffers{validity};
  switch (type.id()) {
    case arrow::Type::BOOL: {
      ARROW_ASSIGN_OR_RAISE(auto values, gather_bits(data.buffers[1]->data(), data.offset, runs));
      buffers.push_back(std::move(values));
      break;
    }
    case arrow::Type::STRING:
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::LARGE_BINARY: {
      std::shared_ptr<arrow::Buffer> offsets, bytes;
      const bool large =
          type.id() == arrow::Type::LARGE_STRING || type.id() == arrow::Type::LARGE_BINARY;
      ARROW_RETURN_NOT_OK(large ? gather_binary<int64_t>(data, runs, &offsets, &bytes)
                                : gather_binary<int32_t>(data, runs, &offsets, &bytes));
      buffers.push_back(std::move(offsets));
      buffers.push_back(std::move(bytes));
      break;
    }
    default: {
      if (!is_plain_fixed_width(type)) return take_runs(column, runs);
      ARROW_ASSIGN_OR_RAISE(auto values, gather_fixed(data, type.bit_width() / 8, runs));
      buffers.push_back(std::move(values));
    }
  }
  const int64_t nulls = validity == nullptr ? 0
                                            : runs.count - arrow::internal::CountSetBits(
                                                               validity->data(), 0, runs.count);
  return arrow::MakeArray(
      arrow::ArrayData::Make(column->type(), runs.count, std::move(buffers), nulls));
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> gather_runs(
    const std::shared_ptr<arrow::RecordBatch>& batch, const RowRuns& runs) {
  if (runs.count == batch->num_rows()) return batch;
  if (runs.count == 0) return batch->Slice(0, 0);
  if (runs.num_runs == 1) return batch->Slice(runs.first(), runs.count);
  std::vector<std::shared_ptr<arrow::Array>> columns;
  columns.reserve(static_cast<size_t>(batch->num_columns()));
  for (const auto& column : batch->columns()) {
    ARROW_ASSIGN_OR_RAISE(auto gathered, gather_runs(column, runs));
    columns.push_back(std::move(gathered));
  }
  return arrow::RecordBatch::Make(batch->schema(), runs.count, std::move(columns));
}

}  // namespace quiver::exec

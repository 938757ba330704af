#include "quiver/exec/join/hash_join_stream.h"

#include <arrow/array/util.h>
#include <arrow/buffer.h>
#include <arrow/compute/api_vector.h>
#include <arrow/scalar.h>
#include <arrow/util/bit_util.h>

#include <algorithm>
#include <chrono>
#include <deque>

#include "quiver/exec/join/gather_rows.h"
#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

namespace {

constexpr uint32_t kNoRow = JoinHashTable::kNoGroup;
static_assert(kNoRow == kGatherNullRow);

/// Moves `indices` into a UInt32 array.
std::shared_ptr<arrow::Array> to_index_array(std::vector<uint32_t>&& indices) {
  const auto n = static_cast<int64_t>(indices.size());
  return arrow::MakeArray(arrow::ArrayData::Make(
      arrow::uint32(), n, {nullptr, arrow::Buffer::FromVector(std::move(indices))}, 0));
}

/// Returns the columns of `batch` taken at `indices` (nulls where an index is null).
arrow::Result<arrow::ArrayVector> take_columns(const std::shared_ptr<arrow::RecordBatch>& batch,
                                               const std::shared_ptr<arrow::Array>& indices) {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum taken, arrow::compute::Take(batch, indices));
  return taken.record_batch()->columns();
}

/// Returns all-NULL columns of `schema`'s types, `length` rows long.
arrow::Result<arrow::ArrayVector> null_columns(const arrow::Schema& schema, int64_t length) {
  arrow::ArrayVector out;
  for (const auto& field : schema.fields()) {
    ARROW_ASSIGN_OR_RAISE(auto array, arrow::MakeArrayOfNull(field->type(), length));
    out.push_back(std::move(array));
  }
  return out;
}

class HashJoinStream final : public OperatorStream {
 public:
  HashJoinStream(physical::ExecutionPlanPtr node, std::shared_ptr<physical::TaskContext> context,
                 std::shared_ptr<const HashJoinConfig> config, std::unique_ptr<HashJoinBuild> build,
                 physical::RecordBatchStreamPtr right)
      : OperatorStream(std::move(node), std::move(context), config->output_schema),
        config_(std::move(config)),
        build_(std::move(build)),
        right_(std::move(right)),
        type_(config_->join_type),
        has_filter_(config_->filter.has_value()),
        track_left_(emits_unmatched_left(type_)),
        track_right_(type_ == JoinType::kRight || type_ == JoinType::kFull ||
                     type_ == JoinType::kRightSemi || type_ == JoinType::kRightAnti),
        pairs_output_(type_ == JoinType::kInner || type_ == JoinType::kLeft ||
                      type_ == JoinType::kRight || type_ == JoinType::kFull),
        limit_(std::max<int64_t>(1, OperatorStream::context()->batch_size())) {}

  ~HashJoinStream() override {
    if (probe_ns_ > 0) metrics().add("probe_time_ns", probe_ns_);
  }

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    while (true) {
      if (!pending_.empty()) {
        auto out = std::move(pending_.front());
        pending_.pop_front();
        if (out->num_rows() > 0) return out;
        continue;
      }
      if (table_ == nullptr) {
        ARROW_ASSIGN_OR_RAISE(table_, build_->table(metrics()));
        if ((pairs_output_ || has_filter_) && table_->batch() == nullptr) {
          return arrow::Status::UnknownError(
              "HashJoinExec: the build side of a ", join_type_name(type_),
              " join was kept in chunks but the join reads it by pairs");
        }
        if (track_left_ && has_filter_) left_matched_.assign(table_->num_rows(), 0);
        if (track_left_ && !has_filter_) group_matched_.assign(table_->num_groups(), 0);
        continue;
      }
      if (probe_batch_ != nullptr) {
        // Many slices of one probe batch may yield nothing (filtered out): check between them.
        ARROW_RETURN_NOT_OK(check_cancelled(*context(), "HashJoinExec"));
        Timer timer(*this);
        ARROW_RETURN_NOT_OK(step());
        continue;
      }
      if (right_ != nullptr) {
        ARROW_ASSIGN_OR_RAISE(auto batch, right_->next());
        ARROW_RETURN_NOT_OK(check_cancelled(*context(), "HashJoinExec"));
        Timer timer(*this);
        if (batch == nullptr) {
          right_.reset();
          ARROW_RETURN_NOT_OK(finish_probe());
        } else if (batch->num_rows() > 0) {
          ARROW_RETURN_NOT_OK(start_probe(std::move(batch)));
        }
        continue;
      }
      if (final_pos_ < final_rows_.size()) {
        Timer timer(*this);
        ARROW_RETURN_NOT_OK(emit_left_rows());
        continue;
      }
      return nullptr;
    }
  }

 private:
  /// Adds the time of one step to elapsed_compute and probe_time_ns.
  struct Timer {
    explicit Timer(HashJoinStream& s) : stream(s), start(std::chrono::steady_clock::now()) {}
    ~Timer() {
      const int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
      stream.metrics().add_elapsed_compute(ns);
      stream.probe_ns_ += ns;
    }
    HashJoinStream& stream;
    std::chrono::steady_clock::time_point start;
  };

  // Looks up a probe batch; joins that need no pair enumeration finish it here.
  arrow::Status start_probe(std::shared_ptr<arrow::RecordBatch> batch) {
    const int64_t n = batch->num_rows();
    ARROW_ASSIGN_OR_RAISE(auto keys, evaluate_join_keys(config_->right_keys, *batch));
    if (config_->null_aware) {
      probe_flags_ |= kProbeSawRow;
      if (keys[0]->null_count() > 0) probe_flags_ |= kProbeSawNullKey;
    }
    ARROW_ASSIGN_OR_RAISE(auto ids, table_->lookup(keys, n));
    if (!has_filter_ && !pairs_output_) {
      const uint32_t* offsets = table_->offsets();
      if (track_left_) {  // LeftSemi / LeftAnti: a matching key marks its whole group
        for (int64_t i = 0; i < n; ++i) {
          if (ids[i] != kNoRow) group_matched_[ids[i]] = 1;
        }
        return arrow::Status::OK();
      }
      // RightSemi / RightAnti: keep the rows whose key has (or has no) build rows.
      const bool keep_matched = type_ == JoinType::kRightSemi;
      std::vector<uint32_t> keep;
      for (int64_t i = 0; i < n; ++i) {
        const bool matched = ids[i] != kNoRow && offsets[ids[i] + 1] > offsets[ids[i]];
        if (matched == keep_matched) keep.push_back(static_cast<uint32_t>(i));
      }
      return emit_probe_rows(batch, std::move(keep), /*pad_left=*/false);
    }
    probe_batch_ = std::move(batch);
    probe_ids_ = std::move(ids);
    row_ = 0;
    pos_ = 0;
    if (has_filter_ && track_right_) probe_matched_.assign(static_cast<size_t>(n), 0);
    return arrow::Status::OK();
  }

  // Enumerates up to batch_size candidate pairs of the current probe batch and joins them.
  arrow::Status step() {
    // Written through raw pointers (the hot loop) into scratch kept between steps.
    build_idx_.resize(static_cast<size_t>(limit_));
    probe_idx_.resize(static_cast<size_t>(limit_));
    uint32_t* out_build = build_idx_.data();
    uint32_t* out_probe = probe_idx_.data();
    int64_t m = 0;
    const uint32_t* offsets = table_->offsets();
    const uint32_t* rows = table_->rows();
    const uint32_t* ids = probe_ids_.data();
    const bool pad_inline = !has_filter_ && track_right_;  // Right / Full without filter
    const bool mark_groups = !has_filter_ && track_left_;  // Left / Full without filter
    const int64_t n = probe_batch_->num_rows();
    const int64_t first_row = row_;
    // Whether every probe row from first_row on gave exactly one pair so far (then the probe
    // side of the output is a slice of the probe batch, no gather needed).
    bool one_per_row = pos_ == 0;
    while (row_ < n && m < limit_) {
      uint32_t begin = 0;
      uint32_t end = 0;
      const uint32_t g = ids[row_];
      if (g != kNoRow) {
        begin = offsets[g];
        end = offsets[g + 1];
      }
      if (begin == end) {
        if (pad_inline) {
          out_build[m] = kNoRow;
          out_probe[m++] = static_cast<uint32_t>(row_);
        } else {
          one_per_row = false;
        }
        ++row_;
        continue;
      }
      if (mark_groups) group_matched_[g] = 1;
      if (end - begin == 1 && pos_ == 0) {  // the common case of a unique build key
        out_build[m] = rows[begin];
        out_probe[m++] = static_cast<uint32_t>(row_++);
        continue;
      }
      one_per_row = false;
      const uint32_t from = begin + pos_;
      const uint32_t count = std::min(end - from, static_cast<uint32_t>(limit_ - m));
      for (uint32_t k = 0; k < count; ++k) {
        out_build[m + k] = rows[from + k];
        out_probe[m + k] = static_cast<uint32_t>(row_);
      }
      m += count;
      pos_ += count;
      if (from + count == end) {
        ++row_;
        pos_ = 0;
      }
    }
    if (m > 0) {
      if (has_filter_) {
        ARROW_RETURN_NOT_OK(join_filtered(build_idx_.data(), probe_idx_.data(), m));
      } else if (pairs_output_) {
        ARROW_ASSIGN_OR_RAISE(auto columns, gather_rows(*table_->batch(), build_idx_.data(), m));
        if (one_per_row) {
          const auto right = probe_batch_->Slice(first_row, m);
          columns.insert(columns.end(), right->columns().begin(), right->columns().end());
        } else {
          ARROW_ASSIGN_OR_RAISE(auto right, gather_rows(*probe_batch_, probe_idx_.data(), m));
          columns.insert(columns.end(), right.begin(), right.end());
        }
        pending_.push_back(arrow::RecordBatch::Make(config_->output_schema, m, std::move(columns)));
      }
    }
    if (row_ >= n) {  // the probe batch is done
      auto batch = std::move(probe_batch_);
      probe_batch_.reset();
      probe_ids_.clear();
      if (has_filter_ && track_right_) {
        const uint8_t want = type_ == JoinType::kRightSemi ? 1 : 0;
        std::vector<uint32_t> keep;
        for (int64_t i = 0; i < n; ++i) {
          if (probe_matched_[static_cast<size_t>(i)] == want)
            keep.push_back(static_cast<uint32_t>(i));
        }
        const bool pad = type_ == JoinType::kRight || type_ == JoinType::kFull;
        ARROW_RETURN_NOT_OK(emit_probe_rows(batch, std::move(keep), pad));
      }
    }
    return arrow::Status::OK();
  }

  // Evaluates the residual filter over candidate pairs, records the matches, and emits the
  // surviving pairs for Inner/Left/Right/Full.
  arrow::Status join_filtered(const uint32_t* b_rows, const uint32_t* p_rows, int64_t m) {
    ARROW_ASSIGN_OR_RAISE(auto columns, gather_rows(*table_->batch(), b_rows, m));
    ARROW_ASSIGN_OR_RAISE(auto right, gather_rows(*probe_batch_, p_rows, m));
    columns.insert(columns.end(), right.begin(), right.end());
    auto candidates = arrow::RecordBatch::Make(config_->filter_schema, m, std::move(columns));
    ARROW_ASSIGN_OR_RAISE(arrow::Datum mask, config_->filter->expr->evaluate(*candidates));
    std::shared_ptr<arrow::BooleanArray> bools;
    if (mask.is_scalar()) {
      const auto& scalar = *mask.scalar();
      const bool all = scalar.is_valid && scalar.type->id() == arrow::Type::BOOL &&
                       static_cast<const arrow::BooleanScalar&>(scalar).value;
      if (!all) return arrow::Status::OK();
    } else {
      bools = std::static_pointer_cast<arrow::BooleanArray>(mask.make_array());
    }
    std::vector<uint32_t> selected;
    for (int64_t i = 0; i < m; ++i) {
      if (bools != nullptr && !(bools->IsValid(i) && bools->Value(i))) continue;
      if (track_left_) left_matched_[b_rows[i]] = 1;
      if (track_right_) probe_matched_[p_rows[i]] = 1;
      if (pairs_output_) selected.push_back(static_cast<uint32_t>(i));
    }
    if (!pairs_output_ || selected.empty()) return arrow::Status::OK();
    if (bools == nullptr) {
      pending_.push_back(candidates->ReplaceSchema(config_->output_schema).ValueOrDie());
      return arrow::Status::OK();
    }
    auto s = to_index_array(std::move(selected));
    ARROW_ASSIGN_OR_RAISE(auto kept, take_columns(candidates, s));
    pending_.push_back(arrow::RecordBatch::Make(config_->output_schema, s->length(), kept));
    return arrow::Status::OK();
  }

  // Emits rows `keep` of a probe batch: alone (RightSemi/RightAnti) or after NULL left columns.
  arrow::Status emit_probe_rows(const std::shared_ptr<arrow::RecordBatch>& batch,
                                std::vector<uint32_t> keep, bool pad_left) {
    if (keep.empty()) return arrow::Status::OK();
    const auto count = static_cast<int64_t>(keep.size());
    std::shared_ptr<arrow::RecordBatch> rows = batch;
    if (count < batch->num_rows()) {
      auto indices = to_index_array(std::move(keep));
      ARROW_ASSIGN_OR_RAISE(auto columns, take_columns(batch, indices));
      rows = arrow::RecordBatch::Make(batch->schema(), count, std::move(columns));
    }
    arrow::ArrayVector columns;
    if (pad_left) {
      ARROW_ASSIGN_OR_RAISE(columns, null_columns(*config_->left_schema, count));
    }
    columns.insert(columns.end(), rows->columns().begin(), rows->columns().end());
    pending_.push_back(arrow::RecordBatch::Make(config_->output_schema, count, std::move(columns)));
    return arrow::Status::OK();
  }

  // Reports the matches; the partition that emits the left rows picks them.
  arrow::Status finish_probe() {
    std::vector<uint8_t> matched;
    if (track_left_) {
      if (has_filter_) {
        matched = std::move(left_matched_);
      } else {
        const int64_t n = table_->num_rows();
        const uint32_t* groups = table_->row_groups();
        matched.assign(static_cast<size_t>(n), 0);
        for (int64_t r = 0; r < n; ++r) {
          matched[static_cast<size_t>(r)] = groups[r] != kNoRow && group_matched_[groups[r]];
        }
      }
    }
    ARROW_ASSIGN_OR_RAISE(auto result, build_->finish(std::move(matched), probe_flags_));
    if (!result.has_value() || !track_left_) return arrow::Status::OK();
    const bool want = type_ == JoinType::kLeftSemi;
    const int64_t n = table_->num_rows();
    if (config_->null_aware) {
      // NOT IN: nothing when the probe side had a NULL key; a NULL left key survives only an
      // empty probe side.
      if (result->probe_flags & kProbeSawNullKey) return arrow::Status::OK();
      const bool probe_empty = (result->probe_flags & kProbeSawRow) == 0;
      for (int64_t r = 0; r < n; ++r) {
        if (!result->matched[static_cast<size_t>(r)] && (probe_empty || !table_->key_is_null(r))) {
          final_rows_.push_back(static_cast<uint32_t>(r));
        }
      }
      return arrow::Status::OK();
    }
    for (int64_t r = 0; r < n; ++r) {
      if ((result->matched[static_cast<size_t>(r)] != 0) == want) {
        final_rows_.push_back(static_cast<uint32_t>(r));
      }
    }
    return arrow::Status::OK();
  }

  // Emits the next batch_size chunk of the chosen left rows.
  arrow::Status emit_left_rows() {
    const auto count =
        std::min<int64_t>(limit_, static_cast<int64_t>(final_rows_.size() - final_pos_));
    ARROW_ASSIGN_OR_RAISE(auto columns, table_->take_rows(final_rows_.data() + final_pos_, count));
    final_pos_ += static_cast<size_t>(count);
    if (type_ == JoinType::kLeft || type_ == JoinType::kFull) {
      ARROW_ASSIGN_OR_RAISE(auto nulls, null_columns(*config_->right_schema, count));
      columns.insert(columns.end(), nulls.begin(), nulls.end());
    }
    pending_.push_back(arrow::RecordBatch::Make(config_->output_schema, count, std::move(columns)));
    return arrow::Status::OK();
  }

  std::shared_ptr<const HashJoinConfig> config_;
  std::unique_ptr<HashJoinBuild> build_;
  physical::RecordBatchStreamPtr right_;  // null once drained
  const JoinType type_;
  const bool has_filter_;
  const bool track_left_;    // the join emits left rows by their matched flag
  const bool track_right_;   // the join emits probe rows by their matched flag
  const bool pairs_output_;  // the join emits matched pairs
  const int64_t limit_;      // rows per output batch

  std::shared_ptr<const JoinHashTable> table_;
  std::vector<uint8_t> left_matched_;   // per build row (with a filter)
  std::vector<uint8_t> group_matched_;  // per group (without a filter)
  uint32_t probe_flags_ = 0;

  std::shared_ptr<arrow::RecordBatch> probe_batch_;  // the probe batch being joined
  std::vector<uint32_t> probe_ids_;                  // its rows' groups (or kNoRow)
  int64_t row_ = 0;                                  // next probe row
  uint32_t pos_ = 0;                                 // next position in that row's group
  std::vector<uint8_t> probe_matched_;               // per probe row (with a filter)
  std::vector<uint32_t> build_idx_;                  // step(): the pairs' build rows
  std::vector<uint32_t> probe_idx_;                  // step(): the pairs' probe rows

  std::deque<std::shared_ptr<arrow::RecordBatch>> pending_;
  std::vector<uint32_t> final_rows_;  // left rows to emit at the end
  size_t final_pos_ = 0;
  int64_t probe_ns_ = 0;
};

}  // namespace

physical::RecordBatchStreamPtr make_hash_join_stream(physical::ExecutionPlanPtr node,
                                                     std::shared_ptr<physical::TaskContext> context,
                                                     std::shared_ptr<const HashJoinConfig> config,
                                                     std::unique_ptr<HashJoinBuild> build,
                                                     physical::RecordBatchStreamPtr right) {
  return std::make_unique<HashJoinStream>(std::move(node), std::move(context), std::move(config),
                                          std::move(build), std::move(right));
}

}  // namespace quiver::exec

#pragma once

#include <arrow/result.h>
#include <arrow/type.h>

#include <functional>
#include <memory>

#include "quiver/functions/aggregate_function.h"

/// Constructors of the built-in accumulators, shared by the aggregate definitions and by the
/// DISTINCT wrapper (which feeds its distinct values to a plain accumulator at the end).
namespace quiver::functions {

/// Creates an empty accumulator of a non-DISTINCT aggregate.
using AccumulatorFactory = std::function<arrow::Result<std::unique_ptr<GroupsAccumulator>>()>;

/// Creates count(args...): rows where every argument is non-NULL; state `[count]` Int64.
arrow::Result<std::unique_ptr<GroupsAccumulator>> make_count_accumulator(
    const DataTypeVector& arg_types);

/// Creates sum(x) for a numeric `x` (state `[sum]` of the result type).
arrow::Result<std::unique_ptr<GroupsAccumulator>> make_sum_accumulator(
    const DataTypeVector& arg_types);

/// Creates avg(x) for a numeric `x` (state `[sum]` Float64, `[count]` Int64).
arrow::Result<std::unique_ptr<GroupsAccumulator>> make_avg_accumulator(
    const DataTypeVector& arg_types);

/// Creates min(x) (or max(x) when `is_max`) for an orderable `x`.
arrow::Result<std::unique_ptr<GroupsAccumulator>> make_min_max_accumulator(
    const DataTypeVector& arg_types, bool is_max);

/// Creates the DISTINCT form of an aggregate over values of `value_type`: it keeps each group's
/// distinct non-NULL values (state `[distinct]`, a List of them) and at `evaluate()` feeds them
/// to a fresh accumulator from `plain`.
arrow::Result<std::unique_ptr<GroupsAccumulator>> make_distinct_accumulator(
    std::shared_ptr<arrow::DataType> value_type, AccumulatorFactory plain);

/// Returns the `[distinct]` state field of a DISTINCT aggregate named `display_name`.
std::shared_ptr<arrow::Field> distinct_state_field(const std::shared_ptr<arrow::DataType>& type,
                                                   const std::string& display_name);

}  // namespace quiver::functions

#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "quiver/distributed/feed/work_unit_feed_handle.h"

namespace quiver::distributed {

/// A user's typed provider, as WorkUnitFeed<Provider> expects it:
///
/// ```cpp
/// struct ChunkFeedProvider {
///   using WorkUnit = Chunk;
///   static std::string encode(const Chunk& unit);
///   static arrow::Result<Chunk> decode(std::string_view bytes);
///   arrow::Result<WorkUnitGenerator<Chunk>> feed(int partition,
///                                                const physical::TaskContext& ctx) const;
/// };
/// ```
template <typename Provider>
concept TypedWorkUnitFeedProvider = requires(const Provider& provider,
                                             const typename Provider::WorkUnit& unit,
                                             std::string_view bytes,
                                             const physical::TaskContext& context) {
  { Provider::encode(unit) } -> std::convertible_to<std::string>;
  { Provider::decode(bytes) } -> std::same_as<arrow::Result<typename Provider::WorkUnit>>;
  {
    provider.feed(0, context)
    } -> std::same_as<arrow::Result<WorkUnitGenerator<typename Provider::WorkUnit>>>;
};

/// Adapts a typed provider to the wire form: its units are encoded with Provider::encode.
template <TypedWorkUnitFeedProvider Provider>
class EncodingFeedProvider final : public WorkUnitFeedProvider {
 public:
  /// Wraps `provider`.
  explicit EncodingFeedProvider(std::shared_ptr<const Provider> provider)
      : provider_(std::move(provider)) {}
  /// Returns the provider's stream of `partition`, each unit encoded.
  arrow::Result<WorkUnitGenerator<std::string>> feed(
      int partition, const physical::TaskContext& context) const override {
    ARROW_ASSIGN_OR_RAISE(auto units, provider_->feed(partition, context));
    return WorkUnitGenerator<std::string>(
        [units = std::move(units)]() mutable -> arrow::Result<std::optional<std::string>> {
          ARROW_ASSIGN_OR_RAISE(auto unit, units());
          if (!unit.has_value()) return std::nullopt;
          return std::optional<std::string>(Provider::encode(*unit));
        });
  }

 private:
  std::shared_ptr<const Provider> provider_;
};

/// The work unit feed a distributed leaf node holds (the seed's `WorkUnitFeed<Provider>`). On the
/// coordinator it is made from the provider; its codec form (`to_proto`) is the handle only, and
/// a feed decoded on a worker (`from_proto`) receives the units the coordinator streams to its
/// task. A leaf reads its partition's units in `execute`:
///
/// ```cpp
/// ARROW_ASSIGN_OR_RAISE(auto units, feed.feed(partition, ctx));
/// while (true) {
///   ARROW_ASSIGN_OR_RAISE(auto unit, units());   // blocks until the next unit arrives
///   if (!unit) break;                            // end of feed
///   ...
/// }
/// ```
///
/// Register the leaf type with with_distributed_work_unit_feed so the coordinator delivers it.
template <TypedWorkUnitFeedProvider Provider>
class WorkUnitFeed {
 public:
  /// The type of the units.
  using WorkUnit = typename Provider::WorkUnit;

  /// Creates a feed (with a new id) around `provider`; `name` appears in error messages.
  WorkUnitFeed(std::shared_ptr<const Provider> provider, std::string name)
      : handle_(std::make_shared<EncodingFeedProvider<Provider>>(provider), std::move(name)),
        provider_(std::move(provider)) {}

  /// Returns the decoded units of local partition `partition` of the running task (see
  /// WorkUnitFeedHandle::open).
  arrow::Result<WorkUnitGenerator<WorkUnit>> feed(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const {
    ARROW_ASSIGN_OR_RAISE(auto bytes, handle_.open(partition, context));
    return WorkUnitGenerator<WorkUnit>(
        [bytes = std::move(bytes), name = handle_.name(),
         partition]() mutable -> arrow::Result<std::optional<WorkUnit>> {
          ARROW_ASSIGN_OR_RAISE(auto unit, bytes());
          if (!unit.has_value()) return std::nullopt;
          auto decoded = Provider::decode(*unit);
          if (!decoded.ok()) {
            return feed_error(name, partition,
                              decoded.status().WithMessage("cannot decode a work unit: ",
                                                           decoded.status().message()));
          }
          return std::optional<WorkUnit>(std::move(decoded).ValueUnsafe());
        });
  }

  /// Returns the handle (id, name, provider).
  const WorkUnitFeedHandle& handle() const { return handle_; }
  /// Returns the typed provider, or null in a feed decoded from the wire.
  const std::shared_ptr<const Provider>& provider() const { return provider_; }

  /// Encodes the handle for a PhysicalExtensionCodec (never the provider).
  std::string to_proto() const { return handle_.encode(); }
  /// Rebuilds a feed from to_proto() bytes; it has no provider.
  static arrow::Result<WorkUnitFeed> from_proto(std::string_view bytes) {
    ARROW_ASSIGN_OR_RAISE(auto handle, WorkUnitFeedHandle::decode(bytes));
    return WorkUnitFeed(std::move(handle));
  }

 private:
  explicit WorkUnitFeed(WorkUnitFeedHandle handle) : handle_(std::move(handle)) {}
  WorkUnitFeedHandle handle_;
  std::shared_ptr<const Provider> provider_;
};

}  // namespace quiver::distributed

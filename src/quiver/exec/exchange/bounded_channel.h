#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace quiver::exec {

/// A group of bounded FIFO queues ("outputs") sharing one lock, fed by a known number of senders
/// (each may send to any output) and drained by one receiver per output. It is the hand-off
/// between producer threads and consumer streams in the exchanges (CoalescePartitionsExec uses
/// one output, RepartitionExec one per output partition, SortPreservingMergeExec one per input).
///
/// Flow control: `send` blocks while the target output holds `capacity` items, so a slow
/// consumer slows its producers. To stay deadlock-free when one thread reads several outputs in
/// turn (a consumer drains output 0 while outputs 1..n fill up), a blocked sender also proceeds
/// while some receiver of the group is waiting on an output that is still empty: progress never
/// stalls with a receiver waiting, at the price of buffering past `capacity` in that case. The
/// escape closes as soon as the awaited output gets an item (not when the woken receiver gets to
/// run, which under load can be much later), so an output read by one receiver never holds more
/// than `capacity` items because of it.
///
/// Ending: `close_sender` once per sender; a receiver sees the end (nullopt) when every sender
/// closed and its output is empty. Cancelling: `drop_receiver(o)` when the consumer of `o` goes
/// away (its items are discarded; sends to it return false), `cancel()` stops everything (sends
/// return false, receives return nullopt at once).
///
/// Thread-safety: every method may be called from any thread.
template <typename T>
class BoundedChannel {
 public:
  /// Creates `num_outputs` queues of `capacity` (at least 1) items each, fed by `num_senders`.
  BoundedChannel(int num_outputs, int num_senders, size_t capacity)
      : outputs_(static_cast<size_t>(num_outputs)),
        open_senders_(num_senders),
        capacity_(capacity == 0 ? 1 : capacity) {}

  BoundedChannel(const BoundedChannel&) = delete;
  BoundedChannel& operator=(const BoundedChannel&) = delete;

  /// Sends `item` to `output`, blocking while it is full (see flow control). Returns false when
  /// the item was discarded because the receiver dropped out or the channel was cancelled.
  bool send(int output, T item) { return push(output, std::move(item), /*bounded=*/true); }

  /// Sends `item` without waiting for room (used for errors, which must always get through).
  bool send_unbounded(int output, T item) {
    return push(output, std::move(item), /*bounded=*/false);
  }

  /// Returns the next item of `output`, blocking until one arrives; nullopt once every sender
  /// has closed and the output is drained, or after cancel().
  std::optional<T> receive(int output) {
    std::unique_lock<std::mutex> lock(mutex_);
    Output& out = outputs_[static_cast<size_t>(output)];
    if (out.items.empty() && !cancelled_ && open_senders_ > 0) {
      ++out.waiting;
      wake_all_senders();  // a starved receiver may unblock senders (deadlock escape)
      out.receivers_cv.wait(lock,
                            [&] { return !out.items.empty() || cancelled_ || open_senders_ == 0; });
      --out.waiting;
    }
    if (cancelled_ || out.items.empty()) return std::nullopt;
    T item = std::move(out.items.front());
    out.items.pop_front();
    // One slot freed: one sender blocked on this output may go on.
    out.senders_cv.notify_one();
    return item;
  }

  /// Marks one sender as finished.
  void close_sender() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (open_senders_ > 0) --open_senders_;
    if (open_senders_ == 0) wake_all_receivers();
  }

  /// Marks the receiver of `output` as gone: later sends to it are dropped and return false.
  /// Returns the items it still buffered (so the caller can release what they hold).
  std::deque<T> drop_receiver(int output) {
    std::lock_guard<std::mutex> lock(mutex_);
    Output& out = outputs_[static_cast<size_t>(output)];
    if (!out.dropped) {
      out.dropped = true;
      ++dropped_outputs_;
    }
    std::deque<T> discarded;
    discarded.swap(out.items);
    out.senders_cv.notify_all();
    return discarded;
  }

  /// Returns true when every output's receiver has dropped out.
  bool all_receivers_dropped() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return dropped_outputs_ == static_cast<int>(outputs_.size());
  }

  /// Stops everything: blocked senders and receivers wake up and give up.
  void cancel() {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
    for (auto& out : outputs_) out.items.clear();
    wake_all_senders();
    wake_all_receivers();
  }

  /// Returns whether cancel() was called.
  bool cancelled() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return cancelled_;
  }

  /// Returns the number of items buffered for `output` now.
  size_t buffered(int output) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return outputs_[static_cast<size_t>(output)].items.size();
  }

 private:
  // One queue; each has its own condition variables, so that an item wakes only the receiver
  // of its output and a freed slot only a sender blocked on that output (one shared pair woke
  // every thread of the group on every hand-off).
  struct Output {
    std::deque<T> items;
    bool dropped = false;
    int waiting = 0;  // receivers blocked in receive() on this output
    std::condition_variable receivers_cv;
    std::condition_variable senders_cv;
  };

  void wake_all_senders() {
    for (auto& out : outputs_) out.senders_cv.notify_all();
  }

  void wake_all_receivers() {
    for (auto& out : outputs_) out.receivers_cv.notify_all();
  }

  /// Returns true while a receiver waits on an output that is still empty (lock held). Once an
  /// item lands there the receiver is no longer starved, even before its thread wakes up.
  bool receiver_starved() const {
    for (const auto& out : outputs_) {
      if (out.waiting > 0 && out.items.empty()) return true;
    }
    return false;
  }

  bool push(int output, T item, bool bounded) {
    std::unique_lock<std::mutex> lock(mutex_);
    Output& out = outputs_[static_cast<size_t>(output)];
    if (bounded) {
      out.senders_cv.wait(lock, [&] {
        return cancelled_ || out.dropped || out.items.size() < capacity_ || receiver_starved();
      });
    }
    if (cancelled_ || out.dropped) return false;
    out.items.push_back(std::move(item));
    out.receivers_cv.notify_all();
    return true;
  }

  mutable std::mutex mutex_;
  std::vector<Output> outputs_;
  int open_senders_;
  int dropped_outputs_ = 0;
  bool cancelled_ = false;
  const size_t capacity_;
};

}  // namespace quiver::exec

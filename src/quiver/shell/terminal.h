#pragma once

#include <termios.h>

#include <string>
#include <string_view>

namespace quiver::shell {

/// Returns whether file descriptor `fd` is a terminal.
bool is_terminal(int fd);

/// Returns the width in columns of the terminal on `fd`, or 0 when `fd` is not a terminal or its
/// size is unknown.
int terminal_columns(int fd);

/// Returns the number of terminal columns `text` (UTF-8) occupies: one per code point, two for
/// East Asian wide characters and most emoji, none for combining marks.
int display_width(std::string_view text);

/// Returns `text` cut to at most `width` terminal columns, ending in `…` when it was cut.
std::string truncate_to_width(std::string_view text, int width);

/// Puts a terminal in raw mode (no echo, no line buffering, no signals from Ctrl-C) for the
/// lifetime of the object and restores the previous mode on destruction.
class RawMode {
 public:
  /// Switches `fd` to raw mode; active() tells whether that succeeded.
  explicit RawMode(int fd);
  /// Restores the terminal mode saved by the constructor.
  ~RawMode();
  RawMode(const RawMode&) = delete;
  RawMode& operator=(const RawMode&) = delete;

  /// Returns whether the terminal is in raw mode.
  bool active() const { return active_; }

 private:
  int fd_;
  bool active_ = false;
  termios saved_{};
};

}  // namespace quiver::shell

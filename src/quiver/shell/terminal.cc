#include "quiver/shell/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdint>

namespace quiver::shell {

namespace {

// Decodes the UTF-8 code point at `i`, advancing `i`; invalid bytes decode as themselves.
uint32_t next_code_point(std::string_view text, size_t& i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  int extra = 0;
  uint32_t cp = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    cp = lead & 0x07;
  }
  if (extra == 0 || i + extra >= text.size()) {
    ++i;  // ASCII, or a byte that starts no complete sequence
    return lead;
  }
  for (int k = 1; k <= extra; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if ((c & 0xC0) != 0x80) {
      ++i;
      return lead;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += extra + 1;
  return cp;
}

int code_point_width(uint32_t cp) {
  if (cp == 0x200B || (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x20D0 && cp <= 0x20FF) ||
      (cp >= 0xFE20 && cp <= 0xFE2F)) {
    return 0;  // combining marks and zero-width space
  }
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
      (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

}  // namespace

bool is_terminal(int fd) { return isatty(fd) == 1; }

int terminal_columns(int fd) {
  if (!is_terminal(fd)) return 0;
  winsize size{};
  if (ioctl(fd, TIOCGWINSZ, &size) != 0) return 0;
  return size.ws_col;
}

int display_width(std::string_view text) {
  int width = 0;
  size_t i = 0;
  while (i < text.size()) width += code_point_width(next_code_point(text, i));
  return width;
}

std::string truncate_to_width(std::string_view text, int width) {
  if (display_width(text) <= width) return std::string(text);
  if (width <= 0) return "";
  std::string out;
  int used = 0;
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = i;
    const int w = code_point_width(next_code_point(text, i));
    if (used + w > width - 1) break;
    used += w;
    out.append(text.substr(start, i - start));
  }
  out += "…";
  return out;
}

RawMode::RawMode(int fd) : fd_(fd) {
  if (!is_terminal(fd) || tcgetattr(fd, &saved_) != 0) return;
  termios raw = saved_;
  raw.c_iflag &= ~static_cast<tcflag_t>(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
  raw.c_oflag &= ~static_cast<tcflag_t>(OPOST);
  raw.c_cflag |= CS8;
  raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ICANON | IEXTEN | ISIG);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  active_ = tcsetattr(fd, TCSAFLUSH, &raw) == 0;
}

RawMode::~RawMode() {
  if (active_) tcsetattr(fd_, TCSAFLUSH, &saved_);
}

}  // namespace quiver::shell

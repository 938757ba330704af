#include "quiver/shell/line_editor.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "quiver/shell/terminal.h"

namespace quiver::shell {

namespace {

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Returns the offset of the code point boundary after `at`.
size_t next_boundary(std::string_view text, size_t at) {
  if (at >= text.size()) return text.size();
  ++at;
  while (at < text.size() && is_continuation_byte(text[at])) ++at;
  return at;
}

// Returns the offset of the code point boundary before `at`.
size_t previous_boundary(std::string_view text, size_t at) {
  if (at == 0) return 0;
  --at;
  while (at > 0 && is_continuation_byte(text[at])) --at;
  return at;
}

bool is_word_space(char c) { return c == ' ' || c == '\t'; }

// Writes all of `data` to a file descriptor, ignoring failures (the terminal went away).
void write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

// Reads one byte from stdin; returns false at end of input or on error.
bool read_byte(char& c) {
  while (true) {
    const ssize_t n = ::read(STDIN_FILENO, &c, 1);
    if (n == 1) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
}

// The keys an escape sequence can stand for.
enum class Key { kNone, kUp, kDown, kLeft, kRight, kHome, kEnd, kDelete };

// Reads the rest of an escape sequence (ESC already read).
Key read_escape_sequence() {
  char first = 0;
  char second = 0;
  if (!read_byte(first) || !read_byte(second)) return Key::kNone;
  if (first == 'O') {
    return second == 'H' ? Key::kHome : second == 'F' ? Key::kEnd : Key::kNone;
  }
  if (first != '[') return Key::kNone;
  if (second >= '0' && second <= '9') {
    char last = 0;
    if (!read_byte(last)) return Key::kNone;
    // Swallow modifiers such as ESC [ 1 ; 5 C.
    while (last != '~' && !(last >= 'A' && last <= 'Z') && read_byte(last)) {
    }
    if (last != '~') return Key::kNone;
    switch (second) {
      case '1':
      case '7':
        return Key::kHome;
      case '3':
        return Key::kDelete;
      case '4':
      case '8':
        return Key::kEnd;
      default:
        return Key::kNone;
    }
  }
  switch (second) {
    case 'A':
      return Key::kUp;
    case 'B':
      return Key::kDown;
    case 'C':
      return Key::kRight;
    case 'D':
      return Key::kLeft;
    case 'H':
      return Key::kHome;
    case 'F':
      return Key::kEnd;
    default:
      return Key::kNone;
  }
}

}  // namespace

// ---- History ----

arrow::Status History::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return arrow::Status::OK();
  std::string line;
  while (std::getline(in, line)) add(line);
  if (in.bad()) return arrow::Status::IOError("cannot read history file '", path, "'");
  return arrow::Status::OK();
}

arrow::Status History::save(const std::string& path) const {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& entry : entries_) out << entry << '\n';
  out.flush();
  if (!out) return arrow::Status::IOError("cannot write history file '", path, "'");
  return arrow::Status::OK();
}

bool History::add(std::string_view line) {
  std::string entry(line);
  std::replace(entry.begin(), entry.end(), '\n', ' ');
  std::replace(entry.begin(), entry.end(), '\r', ' ');
  if (entry.find_first_not_of(" \t") == std::string::npos) return false;
  if (!entries_.empty() && entries_.back() == entry) return false;
  entries_.push_back(std::move(entry));
  if (entries_.size() > max_entries_) {
    entries_.erase(entries_.begin(), entries_.end() - static_cast<ptrdiff_t>(max_entries_));
  }
  return true;
}

// ---- EditBuffer ----

void EditBuffer::set(std::string text) {
  text_ = std::move(text);
  cursor_ = text_.size();
}

void EditBuffer::insert(std::string_view text) {
  text_.insert(cursor_, text);
  cursor_ += text.size();
}

void EditBuffer::delete_backward() {
  const size_t from = previous_boundary(text_, cursor_);
  text_.erase(from, cursor_ - from);
  cursor_ = from;
}

void EditBuffer::delete_forward() { text_.erase(cursor_, next_boundary(text_, cursor_) - cursor_); }

void EditBuffer::delete_word_backward() {
  size_t from = cursor_;
  while (from > 0 && is_word_space(text_[from - 1])) --from;
  while (from > 0 && !is_word_space(text_[from - 1])) --from;
  text_.erase(from, cursor_ - from);
  cursor_ = from;
}

void EditBuffer::kill_to_end() { text_.erase(cursor_); }

void EditBuffer::kill_to_start() {
  text_.erase(0, cursor_);
  cursor_ = 0;
}

void EditBuffer::move_left() { cursor_ = previous_boundary(text_, cursor_); }

void EditBuffer::move_right() { cursor_ = next_boundary(text_, cursor_); }

// ---- LineEditor ----

LineEditor::LineEditor(std::string history_path) : history_path_(std::move(history_path)) {
  const char* term = std::getenv("TERM");
  raw_capable_ = is_terminal(STDIN_FILENO) && is_terminal(STDOUT_FILENO) && term != nullptr &&
                 std::string_view(term) != "dumb";
  if (!history_path_.empty() && history_.load(history_path_).ok() &&
      history_.entries().size() == history_.max_entries()) {
    // Trim the file to the entries kept; a failure only means history is not trimmed.
    (void)history_.save(history_path_);
  }
}

void LineEditor::add_history(std::string_view line) {
  if (!history_.add(line) || history_path_.empty()) return;
  std::ofstream out(history_path_, std::ios::app);
  out << history_.entries().back() << '\n';
}

LineEditor::Input LineEditor::read_line(std::string_view prompt) {
  std::cout.flush();
  std::cerr.flush();
  return raw_capable_ ? read_raw(prompt) : read_plain(prompt);
}

LineEditor::Input LineEditor::read_plain(std::string_view prompt) {
  std::cout << prompt << std::flush;
  Input input;
  if (!std::getline(std::cin, input.line)) return input;
  if (!input.line.empty() && input.line.back() == '\r') input.line.pop_back();
  input.outcome = Outcome::kLine;
  return input;
}

void LineEditor::refresh(std::string_view prompt, const EditBuffer& buffer) const {
  const int columns = std::max(terminal_columns(STDOUT_FILENO), 20);
  const int prompt_width = display_width(prompt);
  const int room = std::max(1, columns - prompt_width - 1);
  const std::string_view text = buffer.text();
  // Scroll horizontally so the cursor stays visible.
  size_t start = 0;
  while (display_width(text.substr(start, buffer.cursor() - start)) > room) {
    start = next_boundary(text, start);
  }
  size_t end = start;
  int used = 0;
  while (end < text.size()) {
    const size_t next = next_boundary(text, end);
    const int width = display_width(text.substr(end, next - end));
    if (used + width > room) break;
    used += width;
    end = next;
  }
  std::string out = "\r";
  out += prompt;
  out += text.substr(start, end - start);
  out += "\x1b[0K\r";
  const int column = prompt_width + display_width(text.substr(start, buffer.cursor() - start));
  if (column > 0) out += "\x1b[" + std::to_string(column) + "C";
  write_all(STDOUT_FILENO, out);
}

LineEditor::Input LineEditor::read_raw(std::string_view prompt) {
  RawMode raw(STDIN_FILENO);
  if (!raw.active()) return read_plain(prompt);
  EditBuffer buffer;
  const auto& entries = history_.entries();
  size_t index = entries.size();  // entries.size() = the line being typed
  std::string typed;              // the line being typed, kept while browsing history
  auto browse = [&](size_t to) {
    if (index == entries.size()) typed = buffer.text();
    index = to;
    buffer.set(index == entries.size() ? typed : entries[index]);
  };
  refresh(prompt, buffer);
  while (true) {
    char c = 0;
    if (!read_byte(c)) {
      write_all(STDOUT_FILENO, "\r\n");
      return {Outcome::kEnd, buffer.text()};
    }
    Key key = Key::kNone;
    switch (c) {
      case '\r':
      case '\n':
        write_all(STDOUT_FILENO, "\r\n");
        return {Outcome::kLine, buffer.text()};
      case 3:  // Ctrl-C
        write_all(STDOUT_FILENO, "^C\r\n");
        return {Outcome::kInterrupted, ""};
      case 4:  // Ctrl-D
        if (buffer.text().empty()) {
          write_all(STDOUT_FILENO, "\r\n");
          return {Outcome::kEnd, ""};
        }
        buffer.delete_forward();
        break;
      case 127:
      case 8:
        buffer.delete_backward();
        break;
      case 1:
        key = Key::kHome;
        break;
      case 5:
        key = Key::kEnd;
        break;
      case 2:
        key = Key::kLeft;
        break;
      case 6:
        key = Key::kRight;
        break;
      case 16:
        key = Key::kUp;
        break;
      case 14:
        key = Key::kDown;
        break;
      case 11:
        buffer.kill_to_end();
        break;
      case 21:
        buffer.kill_to_start();
        break;
      case 23:
        buffer.delete_word_backward();
        break;
      case 12:  // Ctrl-L
        write_all(STDOUT_FILENO, "\x1b[H\x1b[2J");
        break;
      case '\t':
        buffer.insert(" ");
        break;
      case 27:
        key = read_escape_sequence();
        break;
      default: {
        const auto lead = static_cast<unsigned char>(c);
        if (lead < 0x20) break;  // other control keys do nothing
        std::string code_point(1, c);
        const int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        for (int k = 0; k < extra && read_byte(c); ++k) code_point += c;
        buffer.insert(code_point);
      }
    }
    switch (key) {
      case Key::kUp:
        if (index > 0) browse(index - 1);
        break;
      case Key::kDown:
        if (index < entries.size()) browse(index + 1);
        break;
      case Key::kLeft:
        buffer.move_left();
        break;
      case Key::kRight:
        buffer.move_right();
        break;
      case Key::kHome:
        buffer.move_home();
        break;
      case Key::kEnd:
        buffer.move_end();
        break;
      case Key::kDelete:
        buffer.delete_forward();
        break;
      case Key::kNone:
        break;
    }
    refresh(prompt, buffer);
  }
}

}  // namespace quiver::shell

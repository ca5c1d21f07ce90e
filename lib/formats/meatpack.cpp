#include "formats/meatpack.hpp"

#include <string_view>

namespace trawl::formats {
namespace {

constexpr uint8_t kSignal = 0xFF;
constexpr uint8_t kEnablePacking = 251, kDisablePacking = 250, kResetAll = 249, kEnableNoSpaces = 247,
                  kDisableNoSpaces = 246;

/// Writes decoded characters, putting back the spaces the packer removed from G lines.
class LineOutput {
 public:
  explicit LineOutput(uint64_t max) : max_(max) {}
  bool put(char c) {
    if (c == '\0') return true;  // a code that stands for nothing
    if (c == 'G' && (out_.empty() || out_.back() == '\n')) {
      g_line_ = true;
    } else if (c == '\n') {
      g_line_ = false;
      if (!out_.empty() && out_.back() == '\n') return true;  // the packer's filler after an odd line
    } else if (g_line_ && !out_.empty() && out_.back() != ' ' && is_parameter(c)) {
      if (!append(' ')) return false;
    }
    return append(c);
  }
  std::string take() { return std::move(out_); }

 private:
  static bool is_parameter(char c) {
    return std::string_view("XYZEFIJRGPWHCA").find(c) != std::string_view::npos;
  }
  bool append(char c) {
    if (out_.size() >= max_) return false;
    out_ += c;
    return true;
  }
  uint64_t max_;
  bool g_line_ = false;
  std::string out_;
};

}  // namespace

Result<std::string> meatpack_decode(std::span<const uint8_t> input, uint64_t max_output) {
  LineOutput out(max_output);
  bool packing = false, no_spaces = false;
  int full_pending = 0;   // full-width bytes still to come for the current packed byte
  char held = '\0';       // a packed second character that comes after a full-width first one
  bool have_held = false;
  auto code_char = [&](unsigned code) -> char {
    static constexpr char kChars[] = "0123456789. \nGX";
    if (code == 11 && no_spaces) return 'E';
    return kChars[code];
  };
  auto receive = [&](uint8_t c) -> bool {
    if (!packing) return out.put(static_cast<char>(c));
    if (full_pending > 0) {
      --full_pending;
      if (!out.put(static_cast<char>(c))) return false;
      if (have_held && full_pending == 0) {
        have_held = false;
        return out.put(held);
      }
      return true;
    }
    const unsigned low = c & 0xF, high = c >> 4;
    if (low == 0xF) {
      full_pending = high == 0xF ? 2 : 1;
      if (high != 0xF) {
        held = code_char(high);
        have_held = true;
      }
      return true;
    }
    const char first = code_char(low);
    if (!out.put(first)) return false;
    if (first == '\n') return true;  // the second code is filler
    if (high == 0xF) {
      full_pending = 1;
      return true;
    }
    return out.put(code_char(high));
  };
  // 0xFF 0xFF then a command byte; a single 0xFF followed by another byte is data (a packed byte
  // whose two characters both come in full).
  bool signal = false, command = false;
  const auto full = make_error(Errc::resource_exhausted, "meatpack: output over the limit");
  for (const uint8_t c : input) {
    if (c == kSignal) {
      if (signal) command = true;
      signal = !signal;
      continue;
    }
    if (command) {
      command = false;
      switch (c) {
        case kEnablePacking: packing = true; break;
        case kDisablePacking:
        case kResetAll: packing = false; break;
        case kEnableNoSpaces: no_spaces = true; break;
        case kDisableNoSpaces: no_spaces = false; break;
        default: break;  // query and unknown commands change nothing
      }
      continue;
    }
    if (signal) {
      signal = false;
      if (!receive(kSignal)) return full;
    }
    if (!receive(c)) return full;
  }
  return out.take();
}

}  // namespace trawl::formats

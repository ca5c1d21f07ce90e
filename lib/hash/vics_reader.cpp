// Project VIC VICS JSON (1.1, 1.2, 1.3, 2.0) and CAID exports in that form:
// Media lists (`"value": [ {media}, ... ]`) and Case documents (`"value":
// [ {case, "Media": [ {media}, ... ]} ]`). Streamed through nlohmann's SAX
// interface (the only file including it): only the media element being read
// is in memory. Field types vary between producers, so values are read
// leniently (MediaSize as string or number, Category null...).
#include <nlohmann/json.hpp>

#include <cctype>
#include <cmath>
#include <iterator>
#include <string>
#include <vector>

#include "hash/set_readers.hpp"

namespace trawl::hash {
namespace {

constexpr size_t kMaxToken = 1024 * 1024;  ///< longest string or number
constexpr size_t kMaxDepth = 256;          ///< nesting of arrays and objects
constexpr size_t kMaxKept = 4096;          ///< bytes kept of a text field

using Json = nlohmann::json;

/// The document's bytes for the parser, with the position (line, offset) of
/// the next byte and a cap on the length of one string or number token: the
/// parser buffers a token whole, so a longer one ends the input early.
class JsonBytes {
 public:
  explicit JsonBytes(SetSource& source) : source_(source), buffer_(64 * 1024) {}

  bool at_end() {
    if (pos_ == len_ && !eof_ && !failed()) refill();
    return pos_ == len_ || token_too_long_;
  }
  const char& current() const { return buffer_[pos_]; }
  void advance() {
    const char c = buffer_[pos_++];
    ++offset_;
    if (c == '\n') ++line_;
    track_token(c);
  }
  uint64_t line() const { return line_; }
  uint64_t offset() const { return offset_; }
  bool token_too_long() const { return token_too_long_; }
  bool failed() const { return !status_.ok(); }
  const Status& status() const { return status_; }

 private:
  void refill() {
    auto n = source_.read(buffer_.data(), buffer_.size());
    if (!n) {
      status_ = n.error();
      return;
    }
    pos_ = 0;
    len_ = *n;
    eof_ = *n == 0;
  }
  void track_token(char c) {
    if (in_string_) {
      if (escape_) escape_ = false;
      else if (c == '\\') escape_ = true;
      else if (c == '"') in_string_ = false;
    } else if (c == '"') {
      in_string_ = true;
      run_ = 0;
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',' || c == ':' || c == '[' || c == ']' ||
               c == '{' || c == '}') {
      run_ = 0;
    }
    if (++run_ > kMaxToken) token_too_long_ = true;
  }

  SetSource& source_;
  std::vector<char> buffer_;
  size_t pos_ = 0, len_ = 0;
  bool eof_ = false;
  Status status_ = ok_status();
  uint64_t line_ = 1, offset_ = 0;
  bool in_string_ = false, escape_ = false, token_too_long_ = false;
  size_t run_ = 0;
};

/// Input iterator over JsonBytes; a default one is the end.
class JsonIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  JsonIterator() = default;
  explicit JsonIterator(JsonBytes* bytes) : bytes_(bytes) {}
  reference operator*() const { return bytes_->current(); }
  JsonIterator& operator++() {
    bytes_->advance();
    return *this;
  }
  JsonIterator operator++(int) {
    JsonIterator before = *this;
    bytes_->advance();
    return before;
  }
  friend bool operator==(const JsonIterator& a, const JsonIterator& b) { return a.done() == b.done(); }
  friend bool operator!=(const JsonIterator& a, const JsonIterator& b) { return !(a == b); }

 private:
  bool done() const { return bytes_ == nullptr || bytes_->at_end(); }
  JsonBytes* bytes_ = nullptr;
};

bool key_is(const std::string& key, std::string_view name) {
  if (key.size() != name.size()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(key[i])) != std::tolower(static_cast<unsigned char>(name[i]))) {
      return false;
    }
  }
  return true;
}

/// A scalar as the SAX interface gives it, reduced to what fields need.
struct Scalar {
  enum class Kind { null, boolean, integer, unsigned_integer, floating, string } kind = Kind::null;
  bool boolean = false;
  int64_t integer = 0;
  uint64_t unsigned_integer = 0;
  double floating = 0;
  std::string_view text;

  /// Text of a string or whole number ("3"); nullopt for other kinds.
  std::optional<std::string> as_text() const {
    switch (kind) {
      case Kind::string: return std::string(text.substr(0, kMaxKept));
      case Kind::integer: return std::to_string(integer);
      case Kind::unsigned_integer: return std::to_string(unsigned_integer);
      case Kind::floating:
        if (std::isfinite(floating) && std::floor(floating) == floating && std::fabs(floating) < 1e18) {
          return std::to_string(static_cast<int64_t>(floating));
        }
        return std::nullopt;
      default: return std::nullopt;
    }
  }
  std::optional<bool> as_bool() const {
    if (kind == Kind::boolean) return boolean;
    if (kind == Kind::integer && (integer == 0 || integer == 1)) return integer == 1;
    if (kind == Kind::unsigned_integer && unsigned_integer <= 1) return unsigned_integer == 1;
    if (kind == Kind::string) {
      if (key_is(std::string(text), "true")) return true;
      if (key_is(std::string(text), "false")) return false;
    }
    return std::nullopt;
  }
};

class VicsHandler {
 public:
  VicsHandler(SetReadContext& context, JsonBytes& bytes) : context_(context), bytes_(bytes) {}

  bool null() { return value(Scalar{}); }
  bool boolean(bool v) { return value(Scalar{Scalar::Kind::boolean, v, 0, 0, 0, {}}); }
  bool number_integer(Json::number_integer_t v) { return value(Scalar{Scalar::Kind::integer, false, v, 0, 0, {}}); }
  bool number_unsigned(Json::number_unsigned_t v) {
    return value(Scalar{Scalar::Kind::unsigned_integer, false, 0, v, 0, {}});
  }
  bool number_float(Json::number_float_t v, const Json::string_t&) {
    return value(Scalar{Scalar::Kind::floating, false, 0, 0, v, {}});
  }
  bool string(Json::string_t& v) { return value(Scalar{Scalar::Kind::string, false, 0, 0, 0, v}); }
  bool binary(Json::binary_t&) { return value(Scalar{}); }
  bool key(Json::string_t& k) {
    key_.assign(k, 0, std::min<size_t>(k.size(), 64));
    return true;
  }
  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    if (bytes_.failed()) return false;  // an I/O error, returned as such
    std::string message;
    if (bytes_.token_too_long()) {
      message = "a string or number longer than " + std::to_string(kMaxToken) + " bytes";
    } else {
      message = e.what();
      const size_t bracket = message.find("] ");
      if (message.starts_with("[json.exception") && bracket != std::string::npos) message.erase(0, bracket + 2);
      message = "JSON: " + message;
    }
    context_.problem(bytes_.line(), bytes_.offset(), message);
    return false;
  }

  bool saw_odata() const { return saw_odata_; }

 private:
  enum class Role { root, media_list, media, file_list, file, ignored };
  struct Frame {
    Role role = Role::ignored;
    KnownEntry entry;          // media
    std::string problem;       // media: the first thing wrong with it
    std::string file_name;     // media: the first MediaFiles name
    bool has_name = false;     // media: Name or RelativeFilePath given
    bool is_case = false;      // media: held a Media array (a Case)
    uint64_t line = 0, offset = 0;
  };

  /// What a container opened here is, from its parent and the key.
  Role role_of(bool object) const {
    if (frames_.empty()) return object ? Role::root : Role::media_list;
    const Frame& parent = frames_.back();
    switch (parent.role) {
      case Role::root:
        return !object && (key_is(key_, "value") || key_is(key_, "Media")) ? Role::media_list : Role::ignored;
      case Role::media_list: return object ? Role::media : Role::ignored;
      case Role::media:
        if (!object && key_is(key_, "Media")) return Role::media_list;
        if (!object && key_is(key_, "MediaFiles")) return Role::file_list;
        return Role::ignored;
      case Role::file_list: return object ? Role::file : Role::ignored;
      default: return Role::ignored;
    }
  }

  bool open(bool object) {
    if (frames_.size() >= kMaxDepth) {
      context_.problem(bytes_.line(), bytes_.offset(), "nesting deeper than " + std::to_string(kMaxDepth));
      return false;
    }
    Role role = role_of(object);
    if (!frames_.empty() && frames_.back().role == Role::media_list && !object) {
      if (!context_.problem(bytes_.line(), bytes_.offset() - 1, "media element is an array, not an object")) return false;
    }
    if (role == Role::media_list && !frames_.empty() && frames_.back().role == Role::media) frames_.back().is_case = true;
    Frame frame;
    frame.role = role;
    frame.line = bytes_.line();
    frame.offset = bytes_.offset() - 1;
    frames_.push_back(std::move(frame));
    return true;
  }

  bool close() {
    if (frames_.empty()) return true;
    Frame frame = std::move(frames_.back());
    frames_.pop_back();
    if (frame.role != Role::media) return !context_.stopped();
    if (!frame.problem.empty()) return context_.problem(frame.line, frame.offset, frame.problem);
    if (!has_digest(frame.entry)) {
      if (frame.is_case) return true;
      return context_.problem(frame.line, frame.offset, "media element without MD5 or SHA1");
    }
    if (!frame.has_name && !frame.file_name.empty()) frame.entry.name = std::move(frame.file_name);
    return context_.entry(frame.entry);
  }

  bool value(const Scalar& v) {
    if (frames_.empty()) return true;  // a bare scalar document: nothing in it
    Frame& frame = frames_.back();
    switch (frame.role) {
      case Role::root:
        if ((key_is(key_, "odata.metadata") || key_is(key_, "@odata.context")) && v.kind == Scalar::Kind::string) {
          saw_odata_ = true;
          if (context_.info.version.empty()) context_.info.version = std::string(v.text.substr(0, 256));
        }
        return true;
      case Role::media_list:
        return context_.problem(bytes_.line(), bytes_.offset(), "media element is not an object");
      case Role::media: media_field(frame, v); return true;
      case Role::file:
        if (key_is(key_, "FileName") && v.kind == Scalar::Kind::string && frames_.size() >= 3) {
          Frame& media = frames_[frames_.size() - 3];
          if (media.role == Role::media && media.file_name.empty()) media.file_name = std::string(v.text.substr(0, kMaxKept));
        }
        return true;
      default: return true;
    }
  }

  static void digest_field(Frame& frame, const char* algorithm, const Scalar& v) {
    if (v.kind == Scalar::Kind::null || (v.kind == Scalar::Kind::string && v.text.empty())) return;
    if (v.kind != Scalar::Kind::string) {
      if (frame.problem.empty()) frame.problem = std::string(algorithm) + " is not a string";
      return;
    }
    std::string problem = set_digest_named(frame.entry, algorithm, v.text);
    if (!problem.empty() && frame.problem.empty()) frame.problem = std::move(problem);
  }

  void media_field(Frame& frame, const Scalar& v) {
    KnownEntry& e = frame.entry;
    if (key_is(key_, "MD5")) digest_field(frame, "MD5", v);
    else if (key_is(key_, "SHA1")) digest_field(frame, "SHA1", v);
    else if (key_is(key_, "SHA256")) digest_field(frame, "SHA256", v);
    else if (key_is(key_, "Category")) e.category = v.as_text().value_or("");
    else if (key_is(key_, "MediaID")) e.media_id = v.as_text().value_or("");
    else if (key_is(key_, "Series")) e.series = v.as_text().value_or("");
    else if (key_is(key_, "VictimIdentified")) e.victim_identified = v.as_bool();
    else if (key_is(key_, "IsDistributed")) e.is_distributed = v.as_bool();
    else if (key_is(key_, "PhotoDNA")) e.photodna = v.kind == Scalar::Kind::string ? std::string(v.text.substr(0, kMaxKept)) : "";
    else if (key_is(key_, "Name") || (key_is(key_, "RelativeFilePath") && !frame.has_name)) {
      if (v.kind == Scalar::Kind::string && !v.text.empty()) {
        e.name = std::string(v.text.substr(0, kMaxKept));
        frame.has_name = true;
      }
    } else if (key_is(key_, "MediaSize")) {
      if (v.kind == Scalar::Kind::null || (v.kind == Scalar::Kind::string && v.text.empty())) return;
      const auto text = v.as_text();
      e.size = text ? parse_decimal(*text) : std::nullopt;
      if (!e.size && frame.problem.empty()) frame.problem = "MediaSize is not a byte count";
    }
  }

  SetReadContext& context_;
  JsonBytes& bytes_;
  std::vector<Frame> frames_;
  std::string key_;
  bool saw_odata_ = false;
};

}  // namespace

Status read_vics(SetSource& source, SetReadContext& context) {
  JsonBytes bytes(source);
  VicsHandler handler(context, bytes);
  Json::sax_parse(JsonIterator(&bytes), JsonIterator(), &handler);
  if (bytes.failed()) return bytes.status();
  if (!handler.saw_odata() && context.info.entries == 0 && context.info.problems == 0) {
    return make_error(Errc::data_loss, source.path() + ": a JSON document without VICS media (no odata.metadata or "
                                                       "@odata.context, no MD5 or SHA1)");
  }
  return ok_status();
}

}  // namespace trawl::hash

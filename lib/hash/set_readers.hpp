#pragma once
// What the known-set readers share (internal to lib/hash): the context that
// counts entries and problems and applies `strict`, hex helpers, and one
// function per format. read_known_set() detects the format and calls one.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "hash/known_set.hpp"
#include "hash/set_source.hpp"

namespace trawl::hash {

class SetReadContext {
 public:
  SetReadContext(const EntryVisitor& on_entry, const ProblemVisitor& on_problem, bool strict, SetFormat format)
      : on_entry_(on_entry), on_problem_(on_problem), strict_(strict) {
    info.format = format;
  }

  /// Reports a malformed line/row/element. False when reading must stop
  /// (strict: failure() then holds the data_loss error).
  bool problem(uint64_t line, uint64_t offset, std::string message);
  /// Delivers an entry. False when reading must stop (the visitor said so).
  bool entry(const KnownEntry& entry);
  /// True once a visitor stopped the read or strict failed it.
  bool stopped() const { return stopped_; }
  const std::optional<Error>& failure() const { return failure_; }
  /// "line" for text, "row" for SQLite: the word strict errors use.
  void set_unit(const char* unit) { unit_ = unit; }

  SetInfo info;

 private:
  const EntryVisitor& on_entry_;
  const ProblemVisitor& on_problem_;
  bool strict_;
  bool stopped_ = false;
  const char* unit_ = "line";
  std::optional<Error> failure_;
};

/// The next line worth parsing: over-long lines are reported as problems and
/// skipped here, once for every reader. False at the end of the set.
Result<bool> next_set_line(LineReader& lines, SetLine& line, SetReadContext& context);


/// Lower- or upper-case hex of exactly 2 * out.size() digits into `out`.
bool parse_hex_into(std::string_view hex, std::span<uint8_t> out);
bool is_hex_digit(char c);
/// Stores a hex digest whose length picks the algorithm (32 MD5, 40 SHA-1,
/// 64 SHA-256, 128 SHA-512). Returns the problem, or an empty string.
std::string set_digest_by_length(KnownEntry& entry, std::string_view hex);
/// Stores a hex digest of a named algorithm ("MD5", "sha-1", "SHA256"...);
/// returns the problem, or an empty string.
std::string set_digest_named(KnownEntry& entry, std::string_view algorithm, std::string_view hex);
/// Decimal without sign, overflow checked.
std::optional<uint64_t> parse_decimal(std::string_view text);
bool has_digest(const KnownEntry& entry);

// The readers. An Error is an I/O failure; problems go through the context.
Status read_hashdeep(SetSource& source, SetReadContext& context);
Status read_digest_lines(SetSource& source, SetReadContext& context);  ///< md5sum and plain
Status read_nsrl_rds2(SetSource& source, SetReadContext& context);
Status read_nsrl_rds3(SetSource& source, SetReadContext& context);
Status read_vics(SetSource& source, SetReadContext& context);
Status read_pdq_list(SetSource& source, SetReadContext& context);

}  // namespace trawl::hash

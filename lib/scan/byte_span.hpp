#pragma once
// A set of byte values and the search for the end of a span of its members:
// the text scanners' "how far does this run of word bytes go" question, asked
// over most of every text page. 32 bytes at a time with AVX2 when the CPU has
// it (runtime dispatch: the build targets plain x86-64), else one table load
// per byte; both give the same answer (tested against each other). The
// search for every long span of a text uses AVX-512 VBMI where present.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace trawl::scan {

class ByteSpanSet {
 public:
  explicit ByteSpanSet(const std::array<bool, 256>& members);

  bool contains(std::uint8_t c) const { return members_[c]; }

  /// The first i in [from, to) with bytes[i] not in the set, else `to`.
  std::size_t span_end(const std::uint8_t* bytes, std::size_t from, std::size_t to) const;
  /// The same, one byte at a time (the reference and the fallback).
  std::size_t span_end_scalar(const std::uint8_t* bytes, std::size_t from, std::size_t to) const;

  struct Span {
    std::size_t begin;
    std::size_t end;
  };
  /// The first maximal span of members in [from, to) (cut at both ends) of at
  /// least `min_length` bytes (1 <= min_length <= 64), else {to, to}. Text is
  /// mostly spans of word bytes too short to hold anything: 64 positions at a
  /// time are tested for a long span starting there, without a branch per span.
  Span next_long_span(const std::uint8_t* bytes, std::size_t from, std::size_t to, std::size_t min_length) const;
  /// The same, byte by byte.
  Span next_long_span_scalar(const std::uint8_t* bytes, std::size_t from, std::size_t to,
                             std::size_t min_length) const;

  /// Every maximal span of members in bytes[0, size) (cut at both ends) of
  /// at least `min_length` bytes (1 <= min_length <= 64) starting before
  /// `stop`, in order: next_long_span from 0 to `size` until a span starts at
  /// or after `stop`. With AVX-512 VBMI one pass reads the text: each 64 bytes
  /// are classified once (two 128-entry table look-ups) into member bits, and
  /// the spans are read off those bits, with no restart after each span.
  void long_spans(const std::uint8_t* bytes, std::size_t size, std::size_t min_length, std::size_t stop,
                  std::vector<Span>& out) const;
  /// long_spans of two sets over the same bytes (each 64 bytes loaded and
  /// classified once for both with AVX-512 VBMI): `a` into out_a, `b` into out_b.
  static void long_spans_of_two(const std::uint8_t* bytes, std::size_t size, const ByteSpanSet& a,
                                std::size_t min_a, std::size_t stop_a, std::vector<Span>& out_a,
                                const ByteSpanSet& b, std::size_t min_b, std::size_t stop_b,
                                std::vector<Span>& out_b);
  /// The same by next_long_span (AVX2 or byte by byte): the reference and the fallback.
  void long_spans_by_search(const std::uint8_t* bytes, std::size_t size, std::size_t min_length, std::size_t stop,
                            std::vector<Span>& out) const;

 private:
  std::array<bool, 256> members_{};
  std::array<std::uint8_t, 256> flags_{};  // members_ as bytes 1 and 0: the AVX-512 look-up tables
  // Byte c is a member when low_[h / 8][c & 15] has bit h % 8 set (h = c >> 4):
  // two 16-entry shuffles cover any 256-value set exactly.
  std::array<std::array<std::uint8_t, 16>, 2> low_{};
};

}  // namespace trawl::scan

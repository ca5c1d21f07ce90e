#pragma once
// ByteSpanSet::long_spans with AVX-512 VBMI (x86-64 with GCC or Clang only;
// byte_span.cpp calls these when the CPU has AVX-512 BW and VBMI).
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "scan/byte_span.hpp"

namespace trawl::scan::detail {

/// The long spans (min_length 1..64 members in a row) of one set, whose 256 flags are bytes 1 and 0.
void long_spans_avx512(const std::uint8_t* bytes, std::size_t size, std::size_t min_length, std::size_t stop,
                       const std::array<std::uint8_t, 256>& flags, std::vector<ByteSpanSet::Span>& out);

/// The alphanumeric runs of 14 (flag bit 1) and phrase stretches of 47 (flag bit 2) in one pass.
void long_spans_two_avx512_14_47(const std::uint8_t* bytes, std::size_t size,
                                 const std::array<std::uint8_t, 256>& flags, std::size_t stop_a,
                                 std::vector<ByteSpanSet::Span>& out_a, std::size_t stop_b,
                                 std::vector<ByteSpanSet::Span>& out_b);

}  // namespace trawl::scan::detail

#pragma once
// Result<T>: the one error path of the library. Bad input data is an expected
// outcome, so it travels as a value; nothing in lib/ throws because of data.
#include <string>
#include <utility>
#include <variant>

namespace trawl {

/// Stable error kinds; their wire names appear in `error` records.
enum class Errc {
  invalid_argument,    ///< the caller asked for something impossible
  not_found,           ///< a path, member or address does not exist
  out_of_range,        ///< read past the end of the available bytes
  data_loss,           ///< corrupt or truncated structure
  unimplemented,       ///< valid but unsupported variant (e.g. encrypted member)
  resource_exhausted,  ///< a configured limit was reached
  io,                  ///< the operating system or a library failed to read
  internal,            ///< a bug in trawl, reported rather than crashing
};

/// Stable lower-case name of an error kind, as written in records.
const char* errc_name(Errc code);

/// What went wrong, in the words of the layer that saw it.
struct [[nodiscard]] Error {
  Errc code = Errc::internal;
  std::string detail;
};

inline Error make_error(Errc code, std::string detail) { return Error{code, std::move(detail)}; }

/// A value or an Error. Minimal on purpose: GCC 12 has no std::expected in C++20.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}     // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

/// Result of an operation that yields nothing but may fail.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

}  // namespace trawl

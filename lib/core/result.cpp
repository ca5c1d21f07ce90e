#include "core/result.hpp"

namespace trawl {

const char* errc_name(Errc code) {
  switch (code) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::not_found: return "not_found";
    case Errc::out_of_range: return "out_of_range";
    case Errc::data_loss: return "data_loss";
    case Errc::unimplemented: return "unimplemented";
    case Errc::resource_exhausted: return "resource_exhausted";
    case Errc::io: return "io";
    case Errc::internal: return "internal";
  }
  return "internal";
}

}  // namespace trawl

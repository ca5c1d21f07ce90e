#include "io/unit_filter.hpp"

namespace trawl::io {

bool UnitFilter::take() {
  const uint64_t n = next_++;
  if (n >= selector_.last) done_ = true;
  return n >= selector_.first && n < selector_.last;
}

bool UnitFilter::item(Item item) {
  const bool first = next_ == selector_.first;
  if (!take()) return !stopped();
  if (first && selector_.window) {
    if (item.info.kind != ItemKind::range) {
      // The evidence is not what was planned: say so rather than scan the wrong bytes.
      inner_.error(WalkError{item.info.source, item.info.path,
                             make_error(Errc::invalid_argument, "work unit: planned byte range not found at this place in the walk"),
                             item.info.offset});
      done_ = true;
      return false;
    }
    item.info.window = selector_.window;
  }
  const bool go_on = inner_.item(std::move(item));
  if (next_ >= selector_.last) done_ = true;
  return go_on && !done_;
}

void UnitFilter::volume(const VolumeInfo& volume) {
  if (take()) inner_.volume(volume);
  if (next_ >= selector_.last) done_ = true;
}

void UnitFilter::error(const WalkError& error) {
  if (take()) inner_.error(error);
  if (next_ >= selector_.last) done_ = true;
}

}  // namespace trawl::io

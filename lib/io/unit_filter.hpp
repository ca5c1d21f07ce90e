#pragma once
// UnitFilter: the walk of one work unit. Sits between a source's walk and the
// real visitor, numbers the events of the selected scope in walk order and
// passes on only the unit's slice [first, last); the byte-range item that a
// unit splits gets its window. Stops the walk once the slice is complete.
#include "io/walk.hpp"

namespace trawl::io {

class UnitFilter final : public WalkVisitor {
 public:
  /// Both must outlive the filter.
  UnitFilter(const UnitSelector& selector, WalkVisitor& inner) : selector_(selector), inner_(inner) {}

  bool item(Item item) override;
  void volume(const VolumeInfo& volume) override;
  void image_check(const ImageCheck& check) override { inner_.image_check(check); }
  void error(const WalkError& error) override;
  bool stopped() const override { return done_ || inner_.stopped(); }
  void scope(std::optional<uint64_t> volume_offset) override { inner_.scope(volume_offset); }

  /// Events seen so far (in the selected scope).
  uint64_t events() const { return next_; }

 private:
  /// Numbers the next event; true when it belongs to the unit.
  bool take();

  const UnitSelector& selector_;
  WalkVisitor& inner_;
  uint64_t next_ = 0;
  bool done_ = false;
};

}  // namespace trawl::io

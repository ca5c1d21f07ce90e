#pragma once
// The state each image-metadata parser class (gif, png, jpeg, tiff) carries:
// the bytes it reads, where its fields and warnings go and the limits it
// obeys, with the two ways it reports. Internal to lib/formats.
#include <string>
#include <utility>

#include "formats/meta_bytes.hpp"

namespace trawl::formats::meta {

class ParserState {
 protected:
  /// `format` prefixes the warnings ("GIF", "PNG", ...).
  ParserState(Bytes data, const MetaContext& ctx, MetaFields& out, MetaOutcome& outcome, const char* format)
      : data_(data), ctx_(ctx), out_(out), outcome_(outcome), limits_(limits_of(ctx)), format_(format) {}

  void warn(const std::string& text) { outcome_.warnings.push_back(ctx_.path_of(format_) + ": " + text); }
  /// Appends a field within the per-item field limit.
  void add(MetaField f) { add_field(out_, outcome_, ctx_, std::move(f)); }
  void add(std::string group, std::string tag, MetaValue value, const std::string& segment, uint64_t at) {
    add(make_field(ctx_, std::move(group), std::move(tag), std::move(value), segment, at));
  }

  Bytes data_;
  const MetaContext& ctx_;
  MetaFields& out_;
  MetaOutcome& outcome_;
  const MetaLimits& limits_;

 private:
  const char* format_;
};

}  // namespace trawl::formats::meta

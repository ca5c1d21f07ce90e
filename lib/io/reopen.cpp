#include "io/reopen.hpp"

#include "io/archive_walk.hpp"
#include "io/host_file.hpp"
#include "io/tsk_image.hpp"

namespace trawl::io {
namespace {

Result<std::unique_ptr<ByteStream>> open_base(const ItemInfo& info) {
  if (info.kind == ItemKind::range) {
    const std::string& image = info.image.empty() ? info.source : info.image;
    return open_image_range(image, info.offset.value_or(0), info.length.value_or(0));
  }
  if (!info.image.empty()) return open_image_file(info.image, info.partition_offset.value_or(0), info.inode);
  auto host = HostFileStream::open(info.host_path.empty() ? info.path : info.host_path);
  if (!host) return host.error();
  return std::unique_ptr<ByteStream>(std::move(*host));
}

}  // namespace

Result<std::unique_ptr<ByteStream>> open_item(const ItemInfo& info, const Limits& limits) {
  auto base = open_base(info);
  if (!base || info.members.empty()) return base;
  std::unique_ptr<ByteStream> current = std::move(*base);
  ItemInfo parent;
  parent.path = info.container_path;
  for (const auto& wanted : info.members) {
    std::unique_ptr<ByteStream> found;
    std::optional<Error> failure;
    ArchiveBudget budget;
    auto on_member = [&](ItemInfo& member, ByteStream& data) {
      if (member.members.back() != wanted) return true;
      std::string bytes;
      std::vector<std::byte> block(256 * 1024);
      for (;;) {
        auto n = data.read(block);
        if (!n) {
          failure = n.error();
          return false;
        }
        if (*n == 0) break;
        if (bytes.size() + *n > limits.max_nested_buffer) {
          failure = make_error(Errc::resource_exhausted, "member larger than --max-nested-buffer");
          return false;
        }
        bytes.append(reinterpret_cast<const char*>(block.data()), *n);
      }
      found = std::make_unique<MemoryStream>(std::move(bytes));
      parent = member;
      return false;
    };
    auto on_error = [&](const std::string&, const Error&) {};
    auto status = walk_archive(*current, parent, limits, budget, on_member, on_error);
    if (!status) return status.error();
    if (failure) return *failure;
    if (!found) return make_error(Errc::not_found, "no member '" + wanted + "' in " + parent.path);
    current = std::move(found);
  }
  return current;
}

Item reopenable_item(ItemInfo info, const Limits& limits) {
  Item item;
  item.info = std::move(info);
  item.open = [info = item.info, limits]() { return open_item(info, limits); };
  return item;
}

}  // namespace trawl::io

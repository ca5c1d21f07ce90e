#include "io/tsk_image.hpp"

#include "core/ascii.hpp"
#include "io/ext_block_map.hpp"
#include "io/ext_dir_block.hpp"

#include <dlfcn.h>
#include <tsk/libtsk.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <map>
#include <vector>

namespace trawl::io {
namespace {

/// libtsk is opened on first use instead of being linked: it brings some forty libraries along (AFF, whose
/// curl pulls in TLS, LDAP and Kerberos), and loading them took ~10 ms of every run's ~25 ms start although
/// only disk images need it. Every entry point below checks tsk_loaded() before the first handle exists.
struct Tsk {
  std::string error;  ///< why libtsk could not be loaded; empty once it is
#define TRAWL_TSK_FUNCTIONS(X)                                                                                      \
  X(error_get) X(error_reset) X(fs_attr_read) X(fs_block_walk) X(fs_close) X(fs_dir_walk) X(fs_file_attr_get)      \
  X(fs_file_attr_get_idx) X(fs_file_attr_get_type) X(fs_file_attr_getsize) X(fs_file_close) X(fs_file_open_meta)    \
  X(fs_file_read) X(fs_open_img) X(fs_open_vol) X(fs_read) X(fs_read_block) X(fs_type_toname) X(img_close)         \
  X(img_open_utf8_sing) X(img_read) X(vs_close) X(vs_open) X(vs_part_get) X(vs_type_toname)
#define TRAWL_TSK_MEMBER(name) decltype(&::tsk_##name) name = nullptr;
  TRAWL_TSK_FUNCTIONS(TRAWL_TSK_MEMBER)
#undef TRAWL_TSK_MEMBER
};

Tsk load_tsk() {
  Tsk lib;
  void* handle = ::dlopen(TRAWL_TSK_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    lib.error = std::string("cannot load The Sleuth Kit (" TRAWL_TSK_SONAME "): ") + (why != nullptr ? why : "dlopen failed");
    return lib;
  }
  // Never closed: handles stay open in thread-local caches until the process ends.
#define TRAWL_TSK_BIND(name)                                                                 \
  if (lib.error.empty()) {                                                                   \
    lib.name = reinterpret_cast<decltype(lib.name)>(::dlsym(handle, "tsk_" #name));          \
    if (lib.name == nullptr) lib.error = TRAWL_TSK_SONAME " has no tsk_" #name;              \
  }
  TRAWL_TSK_FUNCTIONS(TRAWL_TSK_BIND)
#undef TRAWL_TSK_BIND
#undef TRAWL_TSK_FUNCTIONS
  return lib;
}

const Tsk& tsk() {
  static const Tsk lib = load_tsk();
  return lib;
}

Status tsk_loaded() {
  if (!tsk().error.empty()) return make_error(Errc::io, tsk().error);
  return ok_status();
}

std::string tsk_error_text() {
  const char* text = tsk().error_get();
  std::string out = text != nullptr ? text : "unknown libtsk error";
  tsk().error_reset();
  // libtsk ends some messages with a newline; a diagnostic is one line.
  std::replace(out.begin(), out.end(), '\n', ' ');
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

/// One thread's open images and file systems. libtsk handles are not shared
/// between threads: EWF reads through one handle are serialised by libtsk.
class HandleCache {
 public:
  ~HandleCache() {
    for (auto& [key, fs] : filesystems_) tsk().fs_close(fs);
    for (auto& [path, img] : images_) tsk().img_close(img);
  }

  Result<TSK_IMG_INFO*> image(const std::string& path) {
    if (auto it = images_.find(path); it != images_.end()) return it->second;
    if (auto loaded = tsk_loaded(); !loaded) return loaded.error();  // every handle starts here
    TSK_IMG_INFO* img = tsk().img_open_utf8_sing(path.c_str(), TSK_IMG_TYPE_DETECT, 0);
    if (img == nullptr) return make_error(Errc::data_loss, "cannot open image: " + tsk_error_text());
    images_.emplace(path, img);
    return img;
  }

  Result<TSK_FS_INFO*> filesystem(const std::string& path, uint64_t offset) {
    const auto key = std::make_pair(path, offset);
    if (auto it = filesystems_.find(key); it != filesystems_.end()) return it->second;
    auto img = image(path);
    if (!img) return img.error();
    TSK_FS_INFO* fs = tsk().fs_open_img(*img, static_cast<TSK_OFF_T>(offset), TSK_FS_TYPE_DETECT);
    if (fs == nullptr) return make_error(Errc::data_loss, "cannot open file system: " + tsk_error_text());
    filesystems_.emplace(key, fs);
    return fs;
  }

 private:
  std::map<std::string, TSK_IMG_INFO*> images_;
  std::map<std::pair<std::string, uint64_t>, TSK_FS_INFO*> filesystems_;
};

HandleCache& thread_handles() {
  thread_local HandleCache cache;
  return cache;
}

/// Where byte `offset` of a non-resident attribute lies in the image when a
/// plain run holds it: not in a hole, a filler or an encrypted run, nor past
/// the runs.
std::optional<uint64_t> plain_run_offset(const TSK_FS_INFO& fs, const TSK_FS_ATTR& attr, uint64_t offset) {
  const uint64_t bs = fs.block_size;
  const uint64_t block = offset / bs;
  for (const TSK_FS_ATTR_RUN* run = attr.nrd.run; run != nullptr; run = run->next) {
    if (block < run->offset || block - run->offset >= run->len) continue;
    if (run->flags & (TSK_FS_ATTR_RUN_FLAG_SPARSE | TSK_FS_ATTR_RUN_FLAG_FILLER | TSK_FS_ATTR_RUN_FLAG_ENCRYPTED))
      return std::nullopt;
    return static_cast<uint64_t>(fs.offset) + (run->addr + block - run->offset) * bs + offset % bs;
  }
  return std::nullopt;
}

/// A file's data attribute. Allocated, plain non-resident data is read
/// straight from the image along the attribute's runs, in large reads;
/// everything else (resident, compressed, encrypted, deleted files, filler
/// runs) goes through tsk_fs_attr_read, which resolves it as icat does.
class TskAttrStream final : public SeekableStream {
 public:
  TskAttrStream(TSK_FS_FILE* file, const TSK_FS_ATTR* attr) : file_(file), attr_(attr) {
    const bool allocated = file->meta != nullptr && (file->meta->flags & TSK_FS_META_FLAG_ALLOC) != 0;
    direct_ = attr != nullptr && allocated && (attr->flags & TSK_FS_ATTR_NONRES) != 0 &&
              (attr->flags & (TSK_FS_ATTR_COMP | TSK_FS_ATTR_ENC)) == 0 && attr->nrd.skiplen == 0 &&
              file->fs_info->block_size > 0 && !TSK_FS_TYPE_ISAPFS(file->fs_info->ftype);
  }
  ~TskAttrStream() override { tsk().fs_file_close(file_); }
  std::optional<uint64_t> size() const override {
    return attr_ != nullptr ? static_cast<uint64_t>(attr_->size) : 0;
  }
  Result<size_t> read_at(uint64_t offset, std::span<std::byte> buffer) override {
    if (attr_ == nullptr || offset >= static_cast<uint64_t>(attr_->size)) return size_t{0};
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), static_cast<uint64_t>(attr_->size) - offset));
    if (direct_) return read_direct(offset, buffer.first(want));
    return read_through_tsk(offset, buffer.first(want));
  }
  std::optional<uint64_t> image_offset(uint64_t offset) const override {
    if (!direct_ || offset >= static_cast<uint64_t>(std::max<TSK_OFF_T>(attr_->nrd.initsize, 0))) return std::nullopt;
    return plain_run_offset(*file_->fs_info, *attr_, offset);
  }

 private:
  Result<size_t> read_through_tsk(uint64_t offset, std::span<std::byte> buffer) {
    const ssize_t n = tsk().fs_attr_read(attr_, static_cast<TSK_OFF_T>(offset), reinterpret_cast<char*>(buffer.data()),
                                       buffer.size(), TSK_FS_FILE_READ_FLAG_NONE);
    if (n < 0) return make_error(Errc::io, "read at file offset " + std::to_string(offset) + ": " + tsk_error_text());
    return static_cast<size_t>(n);
  }

  Result<size_t> read_direct(uint64_t offset, std::span<std::byte> buffer) {
    const auto initsize = static_cast<uint64_t>(std::max<TSK_OFF_T>(attr_->nrd.initsize, 0));
    if (offset >= initsize) {  // past the initialised size: zeros, as NTFS defines it
      std::memset(buffer.data(), 0, buffer.size());
      return buffer.size();
    }
    const TSK_FS_INFO* fs = file_->fs_info;
    const uint64_t bs = fs->block_size;
    const uint64_t block = offset / bs;
    // Sequential reads stay in the same run or move to the next: start there.
    if (hint_ == nullptr || block < hint_->offset) hint_ = attr_->nrd.run;
    while (hint_ != nullptr && block >= hint_->offset + hint_->len) hint_ = hint_->next;
    if (hint_ == nullptr || block < hint_->offset || hint_->len == 0) return read_through_tsk(offset, buffer);
    const uint64_t run_left = (hint_->offset + hint_->len - block) * bs - offset % bs;
    const size_t n = static_cast<size_t>(std::min<uint64_t>({buffer.size(), run_left, initsize - offset}));
    if (hint_->flags & TSK_FS_ATTR_RUN_FLAG_SPARSE) {
      std::memset(buffer.data(), 0, n);
      return n;
    }
    if (hint_->flags & (TSK_FS_ATTR_RUN_FLAG_FILLER | TSK_FS_ATTR_RUN_FLAG_ENCRYPTED))
      return read_through_tsk(offset, buffer.first(n));
    const uint64_t image_offset = static_cast<uint64_t>(fs->offset) + (hint_->addr + block - hint_->offset) * bs + offset % bs;
    const ssize_t got = tsk().img_read(fs->img_info, static_cast<TSK_OFF_T>(image_offset), reinterpret_cast<char*>(buffer.data()), n);
    if (got <= 0) return read_through_tsk(offset, buffer.first(n));  // let libtsk explain or recover
    return static_cast<size_t>(got);
  }

  TSK_FS_FILE* file_;
  const TSK_FS_ATTR* attr_;
  bool direct_ = false;
  const TSK_FS_ATTR_RUN* hint_ = nullptr;
};

class TskRangeStream final : public SeekableStream {
 public:
  TskRangeStream(TSK_IMG_INFO* img, uint64_t offset, uint64_t length) : img_(img), offset_(offset), length_(length) {}
  std::optional<uint64_t> size() const override { return length_; }
  Result<size_t> read_at(uint64_t offset, std::span<std::byte> buffer) override {
    if (offset >= length_) return size_t{0};
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), length_ - offset));
    const ssize_t n = tsk().img_read(img_, static_cast<TSK_OFF_T>(offset_ + offset), reinterpret_cast<char*>(buffer.data()), want);
    if (n < 0) return make_error(Errc::io, "read at image offset " + std::to_string(offset_ + offset) + ": " + tsk_error_text());
    return static_cast<size_t>(n);
  }

 private:
  TSK_IMG_INFO* img_;
  uint64_t offset_;
  uint64_t length_;
};

/// A large ext2/3 file with a block map, read along the map by trawl (ext_block_map.hpp) instead of through
/// libtsk, which first maps every pointer, in time growing with the square of the runs, and visits the whole
/// triple-indirect tree: icat spent over a minute on a 4.2 GB sparse file of a 64 MiB ext3 image.
class ExtBlockMapStream final : public SeekableStream {
 public:
  ExtBlockMapStream(TSK_FS_FILE* file, const std::array<uint64_t, 15>& pointers)
      : file_(file), fs_(file->fs_info), size_(static_cast<uint64_t>(file->meta->size)),
        map_(pointers, fs_->block_size, fs_->last_block, [fs = fs_](uint64_t block, std::span<std::byte> out) {
          return tsk().fs_read_block(fs, block, reinterpret_cast<char*>(out.data()), out.size()) ==
                 static_cast<ssize_t>(out.size());
        }) {}
  ~ExtBlockMapStream() override { tsk().fs_file_close(file_); }
  std::optional<uint64_t> size() const override { return size_; }

  Result<size_t> read_at(uint64_t offset, std::span<std::byte> buffer) override {
    if (offset >= size_) return size_t{0};
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer.size(), size_ - offset));
    const uint64_t bs = fs_->block_size;
    size_t done = 0;
    while (done < want) {
      const uint64_t at = offset + done;
      const uint64_t within = at % bs;
      const size_t left = want - done;
      auto extent = map_.extent(at / bs, (within + left + bs - 1) / bs);
      if (!extent) {
        if (done > 0) break;
        return make_error(extent.error().code, "read at file offset " + std::to_string(at) + ": " + extent.error().detail);
      }
      const size_t n = static_cast<size_t>(std::min<uint64_t>(left, extent->count * bs - within));
      std::span<std::byte> out = buffer.subspan(done, n);
      if (extent->physical == 0) {
        std::memset(out.data(), 0, n);
      } else {
        const auto image_offset = static_cast<TSK_OFF_T>(static_cast<uint64_t>(fs_->offset) + extent->physical * bs + within);
        const ssize_t got = tsk().img_read(fs_->img_info, image_offset, reinterpret_cast<char*>(out.data()), n);
        if (got <= 0) {
          if (done > 0) break;
          return make_error(Errc::io, "read at file offset " + std::to_string(at) + ": " + tsk_error_text());
        }
        done += static_cast<size_t>(got);
        if (static_cast<size_t>(got) < n) break;
        continue;
      }
      done += n;
    }
    return done;
  }

  std::optional<uint64_t> image_offset(uint64_t offset) const override {
    if (offset >= size_) return std::nullopt;
    const uint64_t bs = fs_->block_size;
    auto extent = map_.extent(offset / bs, 1);
    if (!extent || extent->physical == 0) return std::nullopt;
    return static_cast<uint64_t>(fs_->offset) + extent->physical * bs + offset % bs;
  }

 private:
  TSK_FS_FILE* file_;
  TSK_FS_INFO* fs_;
  uint64_t size_;
  mutable ExtBlockMap map_;  // its pointer-block cache changes on const lookups
};

/// The inode's 15 block pointers when trawl reads the file along its block map itself: ext2/3 block maps (not
/// extents or inline data) past the single indirect block, where libtsk's mapping grows costly.
std::optional<std::array<uint64_t, 15>> own_block_map(const TSK_FS_INFO& fs, const TSK_FS_META& meta) {
  if (!TSK_FS_TYPE_ISEXT(fs.ftype) || meta.content_type != TSK_FS_META_CONTENT_TYPE_DEFAULT ||
      meta.content_ptr == nullptr || meta.content_len < 15 * sizeof(TSK_DADDR_T) || fs.block_size < 1024 || meta.size < 0)
    return std::nullopt;
  const uint64_t bs = fs.block_size;
  if ((static_cast<uint64_t>(meta.size) + bs - 1) / bs <= 12 + bs / 4) return std::nullopt;
  std::array<uint64_t, 15> pointers{};
  const auto* addr = static_cast<const TSK_DADDR_T*>(meta.content_ptr);
  for (size_t i = 0; i < pointers.size(); ++i) pointers[i] = addr[i];
  return pointers;
}

struct ParsedInode {
  TSK_INUM_T inum = 0;
  std::optional<std::pair<uint32_t, uint16_t>> type_id;
};

std::optional<ParsedInode> parse_inode(const std::string& text) {
  ParsedInode out;
  const char* p = text.data();
  const char* end = p + text.size();
  auto r = std::from_chars(p, end, out.inum);
  if (r.ec != std::errc()) return std::nullopt;
  if (r.ptr == end) return out;
  uint32_t type = 0;
  uint16_t id = 0;
  if (*r.ptr != '-') return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, type);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != '-') return std::nullopt;
  r = std::from_chars(r.ptr + 1, end, id);
  if (r.ec != std::errc() || r.ptr != end) return std::nullopt;
  out.type_id = std::make_pair(type, id);
  return out;
}

// ---------------------------------------------------------------------------
// The walk.

const char* times_source(TSK_FS_TYPE_ENUM type) {
  if (TSK_FS_TYPE_ISNTFS(type)) return "$STANDARD_INFORMATION";
  if (TSK_FS_TYPE_ISFAT(type)) return "directory entry";  // exFAT included
  if (TSK_FS_TYPE_ISISO9660(type)) return "directory record";
  if (TSK_FS_TYPE_ISHFS(type)) return "catalog record";
  return "inode";
}

void add_time(std::vector<Timestamp>& times, const char* name, time_t seconds, uint64_t nanos) {
  if (seconds == 0 && nanos == 0) return;  // libtsk uses 0 for "not stored"
  times.push_back(Timestamp{name, static_cast<int64_t>(seconds), static_cast<uint32_t>(nanos % 1000000000u)});
}

std::vector<Timestamp> file_times(const TSK_FS_FILE* file) {
  std::vector<Timestamp> times;
  const TSK_FS_META* m = file->meta;
  if (m == nullptr) return times;
  add_time(times, "mtime", m->mtime, m->mtime_nano);
  add_time(times, "atime", m->atime, m->atime_nano);
  add_time(times, "ctime", m->ctime, m->ctime_nano);
  add_time(times, "crtime", m->crtime, m->crtime_nano);
  const TSK_FS_TYPE_ENUM type = file->fs_info->ftype;
  if (TSK_FS_TYPE_ISEXT(type)) add_time(times, "dtime", m->time2.ext2.dtime, m->time2.ext2.dtime_nano);
  if (TSK_FS_TYPE_ISNTFS(type) && m->time2.ntfs.fn_id != 0) {
    add_time(times, "fn_mtime", m->time2.ntfs.fn_mtime, static_cast<uint64_t>(m->time2.ntfs.fn_mtime_nano));
    add_time(times, "fn_atime", m->time2.ntfs.fn_atime, static_cast<uint64_t>(m->time2.ntfs.fn_atime_nano));
    add_time(times, "fn_ctime", m->time2.ntfs.fn_ctime, static_cast<uint64_t>(m->time2.ntfs.fn_ctime_nano));
    add_time(times, "fn_crtime", m->time2.ntfs.fn_crtime, static_cast<uint64_t>(m->time2.ntfs.fn_crtime_nano));
  }
  return times;
}

bool is_directory(const TSK_FS_FILE* file) {
  const TSK_FS_NAME_TYPE_ENUM nt = file->name->type;
  if (nt == TSK_FS_NAME_TYPE_DIR || nt == TSK_FS_NAME_TYPE_VIRT_DIR) return true;
  if (file->meta != nullptr) {
    const TSK_FS_META_TYPE_ENUM mt = file->meta->type;
    if (mt == TSK_FS_META_TYPE_DIR || mt == TSK_FS_META_TYPE_VIRT_DIR) return true;
  }
  return false;
}

struct FsWalkContext {
  const std::string* source;
  const std::string* image_path;
  std::string prefix;  // display prefix ending in '/'
  std::optional<unsigned> partition;
  uint64_t fs_offset;
  std::string fs_type;
  WalkVisitor* visitor;
  bool planning = false;  ///< WalkOptions::planning: items without times, link targets or openers
  bool orphans = true;    ///< WalkOptions::orphans
  /// A directory was refused (check_directory_size): libtsk's orphan search would list it again, unchecked.
  std::string refused_directory;
  bool stop = false;
};

/// The most bytes a file of this file system can hold by its format. A larger size is corrupt metadata, and
/// reading it would not end: libtsk serves what no block backs as sparse zeros (576 PB of them after one
/// flipped byte of an ext2 inode's size, found by mutating the test images) and, for ext2/3, first spends
/// seconds building the run list that covers them.
uint64_t largest_file_size(const TSK_FS_INFO& fs, const TSK_FS_META& meta) {
  __extension__ using u128 = unsigned __int128;
  const u128 block = fs.block_size;
  u128 limit;
  if (TSK_FS_TYPE_ISEXT(fs.ftype) && meta.content_type == TSK_FS_META_CONTENT_TYPE_EXT4_INLINE) {
    limit = block;  // data inside the inode (i_block and its extra space), and no inode is larger than a block
  } else if (TSK_FS_TYPE_ISEXT(fs.ftype) && meta.content_type != TSK_FS_META_CONTENT_TYPE_EXT4_EXTENTS) {
    const u128 per_block = block / 4;  // 32-bit block pointers: 12 direct, then single, double, triple indirect
    limit = (12 + per_block + per_block * per_block + per_block * per_block * per_block) * block;
  } else if (TSK_FS_TYPE_ISFAT(fs.ftype) || TSK_FS_TYPE_ISISO9660(fs.ftype)) {
    limit = u128{fs.block_count} * block;  // no sparse or compressed files: never more than the volume
  } else {
    // ext4 extents: 32-bit logical block numbers; NTFS: 2^32 clusters (Windows' limit, 8 PB with 2 MiB
    // clusters); the others have sparse or compressed files too and no tighter bound here.
    limit = (u128{1} << 32) * block;
  }
  return limit > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(limit);
}

/// An error when `size` (the metadata's or an attribute's) cannot be the size of a file of this file system.
Status check_file_size(const TSK_FS_INFO& fs, const TSK_FS_META& meta, TSK_OFF_T size, const std::string& inode) {
  const uint64_t limit = largest_file_size(fs, meta);
  if (size >= 0 && static_cast<uint64_t>(size) <= limit) return ok_status();
  return make_error(Errc::data_loss, "metadata address " + inode + " claims " + std::to_string(size) +
                                         " bytes, more than the file system's format allows such a file (" +
                                         std::to_string(limit) + "): corrupt metadata, content not read");
}

/// An error when an ext2/3/4 directory claims more bytes than the image holds blocks of the file system. A
/// directory has no holes, so such a size is corrupt metadata, and listing it would make libtsk first map every
/// block pointer the size implies: 51 s in `fls` for a 3.9 GB claim on a 2 MiB ext2 image (found by mutating
/// the test images), no end in sight when the pointers lead to more pointers. The bound is the blocks the image
/// holds, not the superblock's count, which may be as wrong.
Status check_directory_size(const TSK_FS_INFO& fs, const TSK_FS_META& meta) {
  if (!TSK_FS_TYPE_ISEXT(fs.ftype) || meta.size < 0) return ok_status();
  const uint64_t blocks = std::min<uint64_t>(fs.block_count, static_cast<uint64_t>(fs.last_block_act) + 1);
  const uint64_t limit = blocks * fs.block_size;
  if (static_cast<uint64_t>(meta.size) <= limit) return ok_status();
  return make_error(Errc::data_loss, "directory at metadata address " + std::to_string(meta.addr) + " claims " +
                                         std::to_string(meta.size) + " bytes, more than the image holds of its file system (" +
                                         std::to_string(limit) + "): corrupt metadata, not listed");
}

void report_file(FsWalkContext& ctx, TSK_FS_FILE* file, const char* dir_path, const TSK_FS_ATTR* attr) {
  Item item;
  ItemInfo& info = item.info;
  std::string name = file->name->name != nullptr ? file->name->name : "";
  if (attr != nullptr && attr->name != nullptr && std::strcmp(attr->name, "$Data") != 0 &&
      std::strcmp(attr->name, "$I30") != 0) {
    name += ':';
    name += attr->name;
  }
  info.path.reserve(ctx.prefix.size() + std::strlen(dir_path) + name.size());
  info.path.append(ctx.prefix).append(dir_path).append(name);
  const bool name_unalloc = (file->name->flags & TSK_FS_NAME_FLAG_UNALLOC) != 0;
  const bool meta_unalloc = file->meta != nullptr && (file->meta->flags & TSK_FS_META_FLAG_UNALLOC) != 0;
  info.deleted = name_unalloc || meta_unalloc;
  TSK_INUM_T inum = file->meta != nullptr ? file->meta->addr : file->name->meta_addr;
  info.inode = std::to_string(inum);
  if (attr != nullptr) {
    info.inode += "-" + std::to_string(static_cast<unsigned>(attr->type)) + "-" + std::to_string(attr->id);
    info.size = static_cast<uint64_t>(attr->size);
  } else if (file->meta != nullptr) {
    info.size = static_cast<uint64_t>(file->meta->size);
  }
  info.has_content = file->meta != nullptr;
  // A size past the format's limit is reported here, not handed on: a tool that cuts large items into windows
  // would otherwise cut it into billions of them, each failing to open.
  if (file->meta != nullptr) {
    if (auto bad = check_file_size(*file->fs_info, *file->meta, attr != nullptr ? attr->size : file->meta->size,
                                   info.inode);
        !bad) {
      ctx.visitor->error(WalkError{*ctx.source, info.path, bad.error(), std::nullopt});
      return;
    }
  }
  // A plan weighs items by path and size and opens none: the rest would be
  // built and dropped for each of a file system's files.
  if (!ctx.planning) {
    info.source = *ctx.source;
    info.image = *ctx.image_path;
    info.partition = ctx.partition;
    info.partition_offset = ctx.fs_offset;
    info.fs_type = ctx.fs_type;
    info.fs_path = std::string(dir_path) + name;
    if (file->meta != nullptr && file->meta->type == TSK_FS_META_TYPE_LNK && file->meta->link != nullptr)
      info.link_target = file->meta->link;
    info.times_from = times_source(file->fs_info->ftype);
    info.times = file_times(file);
    const std::string image = *ctx.image_path;
    const uint64_t fs_offset = ctx.fs_offset;
    const std::string inode = info.inode;
    item.open = [image, fs_offset, inode]() { return open_image_file(image, fs_offset, inode); };
  }
  if (!ctx.visitor->item(std::move(item))) ctx.stop = true;
}

TSK_WALK_RET_ENUM on_dir_entry(TSK_FS_FILE* file, const char* path, void* ptr) {
  auto& ctx = *static_cast<FsWalkContext*>(ptr);
  if (ctx.stop || ctx.visitor->stopped()) return TSK_WALK_STOP;
  if (file->name == nullptr || TSK_FS_ISDOT(file->name->name)) return TSK_WALK_CONT;
  if (file->name->meta_addr == TSK_FS_ORPHANDIR_INUM(file->fs_info) && file->name->type == TSK_FS_NAME_TYPE_VIRT_DIR) {
    if (!ctx.orphans) {
      ctx.visitor->orphans_skipped();
    } else if (!ctx.refused_directory.empty() && file->meta != nullptr) {
      // The search walks every directory once more with a callback of libtsk's own, which cannot refuse one.
      ctx.visitor->error(WalkError{*ctx.source, ctx.prefix + path + file->name->name,
                                   make_error(Errc::data_loss, "orphan files not searched: the search would list " +
                                                                   ctx.refused_directory + " as well"),
                                   std::nullopt});
      file->meta->type = TSK_FS_META_TYPE_UNDEF;  // as for a refused directory, below
    }
    return TSK_WALK_CONT;
  }
  // NTFS: one item per $DATA stream, so alternate data streams are items of
  // their own (as `fls` lists them); directories only for their named streams.
  if (TSK_FS_TYPE_ISNTFS(file->fs_info->ftype) && file->meta != nullptr) {
    bool any = false;
    const int count = tsk().fs_file_attr_getsize(file);
    for (int i = 0; i < count && !ctx.stop; ++i) {
      const TSK_FS_ATTR* attr = tsk().fs_file_attr_get_idx(file, i);
      if (attr == nullptr) continue;
      if (attr->type == TSK_FS_ATTR_TYPE_NTFS_IDXROOT) {
        // A directory's index root is the directory itself; the indexes of
        // metadata files ($Secure:$SDH, $Extend/$Quota:$Q) are items.
        any = true;
        if (!is_directory(file)) report_file(ctx, file, path, attr);
        continue;
      }
      if (attr->type != TSK_FS_ATTR_TYPE_NTFS_DATA) continue;
      any = true;
      report_file(ctx, file, path, attr);
    }
    if (!any && !is_directory(file)) report_file(ctx, file, path, nullptr);
    tsk().error_reset();
  } else if (!is_directory(file)) {
    report_file(ctx, file, path, nullptr);
  } else if (file->meta != nullptr && TSK_FS_IS_DIR_META(file->meta->type)) {
    if (auto bad = check_directory_size(*file->fs_info, *file->meta); !bad) {
      ctx.visitor->error(WalkError{*ctx.source, ctx.prefix + path + file->name->name, bad.error(), std::nullopt});
      if (ctx.refused_directory.empty()) ctx.refused_directory = ctx.prefix + path + file->name->name;
      // libtsk descends into a name after this callback only when its metadata is a directory's: this one's
      // metadata (freed when the callback returns) stops being one, and the walk goes on past it.
      file->meta->type = TSK_FS_META_TYPE_UNDEF;
    }
  }
  return ctx.stop ? TSK_WALK_STOP : TSK_WALK_CONT;
}

// ---------------------------------------------------------------------------
// Listing ext2/3/4 for a plan. libtsk loads a directory by adding each name
// after comparing it with every name before it (tsk_fs_dir_add), quadratic in
// the directory's size: half of a plan's time on a file system with a
// directory of 17,800 names. A plan needs the files in walk order only to cut
// units of about equal weight; the units themselves walk with libtsk. This
// listing follows libtsk's rules (live and slack names, its duplicate rule,
// the root's order, when to descend), so the plan's events are the walk's,
// and where it differs only the balance of the units does: plan_units uses it
// only when no unit is addressed by a later event's ordinal.

struct ListedName {
  ExtDirEntry entry;
  TSK_FS_NAME_TYPE_ENUM type = TSK_FS_NAME_TYPE_UNDEF;
  bool orphans = false;  ///< the root's virtual $OrphanFiles, which libtsk lists after the root's names
};

TSK_FS_NAME_TYPE_ENUM ext_name_type(uint8_t file_type, bool has_file_type) {
  if (!has_file_type) return TSK_FS_NAME_TYPE_UNDEF;
  switch (file_type) {
    case 1: return TSK_FS_NAME_TYPE_REG;
    case 2: return TSK_FS_NAME_TYPE_DIR;
    case 3: return TSK_FS_NAME_TYPE_CHR;
    case 4: return TSK_FS_NAME_TYPE_BLK;
    case 5: return TSK_FS_NAME_TYPE_FIFO;
    case 6: return TSK_FS_NAME_TYPE_SOCK;
    case 7: return TSK_FS_NAME_TYPE_LNK;
    default: return TSK_FS_NAME_TYPE_UNDEF;
  }
}

/// libtsk walks the root's names by rank (prefixes, case ignored): user folders first, Windows and the orphans
/// late, swap files last.
int root_rank(const std::string& name) {
  const std::string lower = ascii_lower(name);
  auto starts = [&](std::string_view prefix) { return lower.starts_with(prefix); };
  if (starts("users") || starts("documents and settings") || starts("home") || starts("programdata")) return 0;
  if (starts("windows") || starts("$orphan")) return 2;
  if (starts("pagefile") || starts("hiberfil")) return 3;
  return 1;
}

class ExtLister {
 public:
  ~ExtLister() {
    if (entry_file_ != nullptr) tsk().fs_file_close(entry_file_);
  }
  ExtLister(const ExtLister&) = delete;
  ExtLister& operator=(const ExtLister&) = delete;
  ExtLister(TSK_FS_INFO* fs, FsWalkContext& ctx) : fs_(fs), ctx_(ctx) {
    // The filetype feature (incompat 0x2 at superblock offset 0x60) decides the entry layout.
    unsigned char incompat[4] = {};
    has_file_type_ = tsk().fs_read(fs, 1024 + 0x60, reinterpret_cast<char*>(incompat), 4) == 4 && (incompat[0] & 0x2) != 0;
  }

  /// False when the root itself cannot be listed (libtsk's walk fails then too).
  bool walk() {
    return list(fs_->root_inum, "", 0) != Outcome::error;
  }

 private:
  enum class Outcome { done, stop, error };

  /// The names of directory `inum` in libtsk's order; nullopt when it cannot be read.
  std::optional<std::vector<ListedName>> names(TSK_INUM_T inum) {
    if (inum < fs_->first_inum || inum > fs_->last_inum) return std::nullopt;
    TSK_FS_FILE* dir = tsk().fs_file_open_meta(fs_, nullptr, inum);
    if (dir == nullptr || dir->meta == nullptr) {
      if (dir != nullptr) tsk().fs_file_close(dir);
      tsk().error_reset();
      return std::nullopt;
    }
    const TSK_FS_META& meta = *dir->meta;
    const uint64_t bs = fs_->block_size;
    const auto size = static_cast<uint64_t>(std::max<TSK_OFF_T>(meta.size, 0));
    const bool inline_data = meta.content_type == TSK_FS_META_CONTENT_TYPE_EXT4_INLINE;
    uint64_t left = inline_data ? size : (size + bs - 1) / bs * bs;
    const bool deleted = (meta.flags & TSK_FS_META_FLAG_UNALLOC) != 0;
    std::vector<ListedName> out;
    std::vector<std::byte> block(bs);
    bool ok = static_cast<bool>(check_directory_size(*fs_, meta));  // on_dir_entry reported it
    const TSK_FS_ATTR* attr = ok && !inline_data ? tsk().fs_file_attr_get(dir) : nullptr;
    for (uint64_t offset = 0; ok && left > 0;) {
      const size_t len = static_cast<size_t>(std::min<uint64_t>(bs, left));
      if (!(offset + len <= size && read_block(attr, offset, std::span(block).first(len))) &&
          tsk().fs_file_read(dir, static_cast<TSK_OFF_T>(offset), reinterpret_cast<char*>(block.data()), len,
                             TSK_FS_FILE_READ_FLAG_NONE) != static_cast<ssize_t>(len)) {
        ok = false;  // libtsk drops such a directory whole
        break;
      }
      for (ExtDirEntry& e : parse_ext_dir_block(std::span(block).first(len), fs_->last_inum, has_file_type_, deleted)) {
        const auto type = ext_name_type(e.file_type, has_file_type_);
        out.push_back(ListedName{std::move(e), type});
      }
      offset += len;
      left -= len;
    }
    tsk().fs_file_close(dir);
    tsk().error_reset();
    if (!ok) return std::nullopt;
    drop_copies(out);
    if (inum == fs_->root_inum) {
      ListedName orphans;
      orphans.entry.name = "$OrphanFiles";
      orphans.orphans = true;
      out.push_back(std::move(orphans));
      std::stable_sort(out.begin(), out.end(),
                       [](const ListedName& a, const ListedName& b) { return root_rank(a.entry.name) < root_rank(b.entry.name); });
    }
    return out;
  }

  /// libtsk keeps one name per inode and name, where it first came: a live
  /// copy replaces a deleted one there, any other copy is dropped. Copies
  /// share an inode, so only names with a shared inode are compared.
  static void drop_copies(std::vector<ListedName>& names) {
    std::vector<std::pair<uint32_t, uint32_t>> by_inode;  // inode, position
    by_inode.reserve(names.size());
    for (size_t i = 0; i < names.size(); ++i) by_inode.emplace_back(names[i].entry.inode, static_cast<uint32_t>(i));
    std::sort(by_inode.begin(), by_inode.end());
    std::vector<bool> dropped(names.size(), false);
    bool any = false;
    for (size_t g = 0; g < by_inode.size();) {
      size_t end = g + 1;
      while (end < by_inode.size() && by_inode[end].first == by_inode[g].first) ++end;
      for (size_t a = g; a < end; ++a) {  // positions ascend within the group: earlier names are kept first
        const uint32_t i = by_inode[a].second;
        if (dropped[i]) continue;
        for (size_t b = a + 1; b < end; ++b) {
          const uint32_t j = by_inode[b].second;
          if (dropped[j] || names[j].entry.name != names[i].entry.name) continue;
          if (names[i].entry.deleted && !names[j].entry.deleted) {
            names[i].type = names[j].type;
            names[i].entry = std::move(names[j].entry);
          }
          dropped[j] = any = true;
        }
      }
      g = end;
    }
    if (!any) return;
    size_t kept = 0;
    for (size_t i = 0; i < names.size(); ++i)
      if (!dropped[i]) names[kept++] = std::move(names[i]);
    names.resize(kept);
  }

  /// Reads the directory block at `offset` straight from the image when a
  /// plain run holds it. libtsk's own reads go through its cache, which
  /// copies the 64 KiB around each block: with most directories a block or
  /// two in a place of their own, that was 160 MB copied to list 4,500
  /// directories. (TSK_IMG_INFO::read is what tsk_img_read calls when it
  /// misses its cache; this thread's handles are its own, so no lock is
  /// needed.) False: read it through libtsk instead.
  bool read_block(const TSK_FS_ATTR* attr, uint64_t offset, std::span<std::byte> out) const {
    if (attr == nullptr || (attr->flags & TSK_FS_ATTR_NONRES) == 0 || (attr->flags & (TSK_FS_ATTR_COMP | TSK_FS_ATTR_ENC)))
      return false;
    const std::optional<uint64_t> at = plain_run_offset(*fs_, *attr, offset);
    TSK_IMG_INFO* img = fs_->img_info;
    if (!at || *at > static_cast<uint64_t>(img->size) || out.size() > static_cast<uint64_t>(img->size) - *at) return false;
    return img->read(img, static_cast<TSK_OFF_T>(*at), reinterpret_cast<char*>(out.data()), out.size()) ==
           static_cast<ssize_t>(out.size());
  }

  Outcome list(TSK_INUM_T inum, const std::string& path, unsigned depth) {
    auto listed = names(inum);
    if (!listed) return Outcome::error;
    for (ListedName& n : *listed) {
      const ExtDirEntry& e = n.entry;
      if (n.orphans) {
        ctx_.visitor->orphans_skipped();
        continue;
      }
      TSK_FS_NAME name{};
      name.tag = TSK_FS_NAME_TAG;
      name.name = const_cast<char*>(e.name.c_str());  // read only: on_dir_entry never writes a name
      name.name_size = e.name.size() + 1;
      name.meta_addr = e.inode;
      name.type = n.type;
      name.flags = e.deleted ? TSK_FS_NAME_FLAG_UNALLOC : TSK_FS_NAME_FLAG_ALLOC;
      TSK_FS_FILE* opened = nullptr;
      if (e.inode != 0 || !e.deleted) {
        // One file structure for all the names, as libtsk's walk does: its metadata is loaded again each time.
        opened = tsk().fs_file_open_meta(fs_, entry_file_, e.inode);
        if (opened != nullptr) entry_file_ = opened;
        tsk().error_reset();
      }
      TSK_FS_FILE view{};
      view.tag = TSK_FS_FILE_TAG;
      view.fs_info = fs_;
      view.name = &name;
      view.meta = opened != nullptr ? opened->meta : nullptr;
      on_dir_entry(&view, path.c_str(), &ctx_);
      const bool descend = (n.type == TSK_FS_NAME_TYPE_DIR || n.type == TSK_FS_NAME_TYPE_UNDEF) && view.meta != nullptr &&
                           view.meta->type == TSK_FS_META_TYPE_DIR &&
                           (!e.deleted || (view.meta->flags & TSK_FS_META_FLAG_UNALLOC) != 0) && !TSK_FS_ISDOT(name.name);
      if (ctx_.stop || ctx_.visitor->stopped()) return Outcome::stop;
      if (!descend || std::find(seen_.begin(), seen_.end(), e.inode) != seen_.end()) continue;
      seen_.push_back(e.inode);
      // libtsk's limits (depth 128, paths of 4096 bytes) end the listing of this directory.
      if (depth >= 128 || path.size() + e.name.size() >= 4096) return Outcome::error;
      const Outcome inner = list(e.inode, path + e.name + "/", depth + 1);
      if (inner == Outcome::stop) return inner;
      seen_.pop_back();
    }
    return Outcome::done;
  }

  TSK_FS_INFO* fs_;
  FsWalkContext& ctx_;
  bool has_file_type_ = false;
  TSK_FS_FILE* entry_file_ = nullptr;  ///< reused for every name's metadata
  std::vector<TSK_INUM_T> seen_;  ///< the directories being listed below the root: a name back to one is a loop
};

struct RunCollector {
  uint64_t fs_offset;
  uint64_t block_size;
  std::vector<std::pair<uint64_t, uint64_t>> runs;  // absolute offset, length
};

TSK_WALK_RET_ENUM on_unalloc_block(const TSK_FS_BLOCK* block, void* ptr) {
  auto& c = *static_cast<RunCollector*>(ptr);
  const uint64_t offset = c.fs_offset + static_cast<uint64_t>(block->addr) * c.block_size;
  if (!c.runs.empty() && c.runs.back().first + c.runs.back().second == offset) {
    c.runs.back().second += c.block_size;
  } else {
    c.runs.emplace_back(offset, c.block_size);
  }
  return TSK_WALK_CONT;
}

void report_range(WalkVisitor& visitor, const std::string& source, const std::string& image_path, const std::string& path,
                  const char* area, uint64_t offset, uint64_t length, std::optional<unsigned> partition,
                  std::optional<uint64_t> fs_offset, const std::string& fs_type) {
  Item item;
  ItemInfo& info = item.info;
  info.kind = ItemKind::range;
  info.source = source;
  info.image = image_path;
  info.path = path;
  info.area = area;
  info.offset = offset;
  info.length = length;
  info.size = length;
  info.partition = partition;
  info.partition_offset = fs_offset;
  info.fs_type = fs_type;
  item.open = [image_path, offset, length]() { return open_image_range(image_path, offset, length); };
  visitor.item(std::move(item));
}

/// Walks one file system; false when the visitor asked to stop.
bool walk_filesystem(const std::string& source, const std::string& image_path, TSK_FS_INFO* fs, std::string prefix,
                     std::optional<unsigned> partition, const WalkOptions& options, WalkVisitor& visitor) {
  FsWalkContext ctx{&source, &image_path, std::move(prefix), partition, static_cast<uint64_t>(fs->offset),
                    tsk().fs_type_toname(fs->ftype), &visitor, options.planning, options.orphans, {}};
  // libtsk lists the orphans last, in the root's virtual $OrphanFiles
  // directory: without them the walk is the same up to that point.
  const auto flags = static_cast<TSK_FS_DIR_WALK_FLAG_ENUM>(
      TSK_FS_DIR_WALK_FLAG_ALLOC | TSK_FS_DIR_WALK_FLAG_UNALLOC | TSK_FS_DIR_WALK_FLAG_RECURSE |
      (options.orphans ? 0 : TSK_FS_DIR_WALK_FLAG_NOORPHAN));
  // The root is listed before any name reaches on_dir_entry: its size is checked here (ext only, as there).
  if (TSK_FS_FILE* root = TSK_FS_TYPE_ISEXT(fs->ftype) ? tsk().fs_file_open_meta(fs, nullptr, fs->root_inum) : nullptr) {
    Status fits = root->meta != nullptr ? check_directory_size(*fs, *root->meta) : ok_status();
    tsk().fs_file_close(root);
    if (!fits) {
      visitor.error(WalkError{source, ctx.prefix, fits.error(), ctx.fs_offset});
      return !visitor.stopped();
    }
  }
  tsk().error_reset();
  if (options.planning && !options.orphans && TSK_FS_TYPE_ISEXT(fs->ftype)) {
    if (!ExtLister(fs, ctx).walk())
      visitor.error(WalkError{source, ctx.prefix, make_error(Errc::data_loss, "file system walk: root directory unreadable"), ctx.fs_offset});
  } else if (tsk().fs_dir_walk(fs, fs->root_inum, flags, on_dir_entry, &ctx) != 0) {
    visitor.error(WalkError{source, ctx.prefix, make_error(Errc::data_loss, "file system walk: " + tsk_error_text()), ctx.fs_offset});
  }
  if (ctx.stop || visitor.stopped()) return false;
  if (options.unallocated) {
    RunCollector runs{ctx.fs_offset, fs->block_size, {}};
    const auto bflags = static_cast<TSK_FS_BLOCK_WALK_FLAG_ENUM>(TSK_FS_BLOCK_WALK_FLAG_UNALLOC | TSK_FS_BLOCK_WALK_FLAG_AONLY);
    // Up to the last block the image holds: a corrupt boot sector can claim 2^62 sectors (found by mutating
    // the exFAT test image), and libtsk would visit each; what lies past the image cannot be read anyway.
    const TSK_DADDR_T last = std::min(fs->last_block, fs->last_block_act);
    if (tsk().fs_block_walk(fs, fs->first_block, last, bflags, on_unalloc_block, &runs) != 0) {
      visitor.error(WalkError{source, ctx.prefix, make_error(Errc::data_loss, "unallocated block walk: " + tsk_error_text()), ctx.fs_offset});
    }
    for (const auto& [offset, length] : runs.runs) {
      report_range(visitor, source, image_path, ctx.prefix + "$Unallocated", "unallocated", offset, length, partition,
                   ctx.fs_offset, ctx.fs_type);
      if (visitor.stopped()) return false;
    }
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<ByteStream>> open_image_file(const std::string& image_path, uint64_t partition_offset,
                                                    const std::string& inode) {
  auto parsed = parse_inode(inode);
  if (!parsed) return make_error(Errc::invalid_argument, "bad metadata address '" + inode + "'");
  auto fs = thread_handles().filesystem(image_path, partition_offset);
  if (!fs) return fs.error();
  TSK_FS_FILE* file = tsk().fs_file_open_meta(*fs, nullptr, parsed->inum);
  if (file == nullptr) return make_error(Errc::data_loss, "open metadata address " + inode + ": " + tsk_error_text());
  auto refuse = [file](Error error) {
    tsk().fs_file_close(file);
    return error;
  };
  // Before the default attribute is loaded: that is where libtsk builds an ext2/3 run list for the whole size.
  // (A named stream is checked by its own size below; NTFS loads its attributes with the file.)
  if (file->meta != nullptr && !parsed->type_id) {
    if (auto bad = check_file_size(**fs, *file->meta, file->meta->size, inode); !bad) return refuse(bad.error());
    if (auto pointers = own_block_map(**fs, *file->meta))
      return std::unique_ptr<ByteStream>(new ExtBlockMapStream(file, *pointers));
  }
  const TSK_FS_ATTR* attr = nullptr;
  if (parsed->type_id) {
    attr = tsk().fs_file_attr_get_type(file, static_cast<TSK_FS_ATTR_TYPE_ENUM>(parsed->type_id->first),
                                     parsed->type_id->second, 1);
    if (attr == nullptr) return refuse(make_error(Errc::not_found, "no attribute " + inode + ": " + tsk_error_text()));
  } else {
    attr = tsk().fs_file_attr_get(file);
    if (attr == nullptr) {
      tsk().error_reset();
      // No data attribute: empty unless the metadata claims content.
      if (file->meta != nullptr && file->meta->size > 0 && file->meta->type == TSK_FS_META_TYPE_REG)
        return refuse(make_error(Errc::data_loss, "metadata address " + inode + " has no readable content"));
    }
  }
  if (attr != nullptr && file->meta != nullptr) {  // an NTFS stream's own size
    if (auto bad = check_file_size(**fs, *file->meta, attr->size, inode); !bad) return refuse(bad.error());
  }
  return std::unique_ptr<ByteStream>(new TskAttrStream(file, attr));
}

Result<std::unique_ptr<ByteStream>> open_image_range(const std::string& image_path, uint64_t offset, uint64_t length) {
  auto img = thread_handles().image(image_path);
  if (!img) return img.error();
  const auto size = static_cast<uint64_t>((*img)->size);
  if (offset > size || length > size - offset) return make_error(Errc::out_of_range, "range past the end of the image");
  return std::unique_ptr<ByteStream>(new TskRangeStream(*img, offset, length));
}

bool image_is_recognised(const std::string& image_path) {
  auto img = thread_handles().image(image_path);
  if (!img) return false;
  if (TSK_VS_INFO* vs = tsk().vs_open(*img, 0, TSK_VS_TYPE_DETECT)) {
    tsk().vs_close(vs);
    return true;
  }
  tsk().error_reset();
  if (TSK_FS_INFO* fs = tsk().fs_open_img(*img, 0, TSK_FS_TYPE_DETECT)) {
    tsk().fs_close(fs);
    return true;
  }
  tsk().error_reset();
  return false;
}

Result<uint64_t> image_media_size(const std::string& image_path) {
  auto img = thread_handles().image(image_path);
  if (!img) return img.error();
  return static_cast<uint64_t>((*img)->size);
}

Status walk_image(const std::string& source, const std::string& image_path, const std::string& display_prefix,
                  const WalkOptions& options, WalkVisitor& visitor) {
  // The walking thread has its own handles, separate from the workers'.
  auto opened = thread_handles().image(image_path);
  if (!opened) return opened.error();
  TSK_IMG_INFO* img = *opened;
  const auto media_size = static_cast<uint64_t>(img->size);
  // A work unit sees one scope only; the others are skipped without being opened.
  const std::optional<UnitSelector>& unit = options.unit;
  auto wants_volume = [&](uint64_t offset) {
    return !unit || unit->scope == UnitSelector::Scope::source ||
           (unit->scope == UnitSelector::Scope::volume && unit->volume_offset == offset);
  };
  auto wants_outside = [&] { return !unit || unit->scope != UnitSelector::Scope::volume; };

  TSK_VS_INFO* vs = tsk().vs_open(img, 0, TSK_VS_TYPE_DETECT);
  if (vs == nullptr) {
    tsk().error_reset();
    TSK_FS_INFO* fs = tsk().fs_open_img(img, 0, TSK_FS_TYPE_DETECT);
    if (fs == nullptr) {
      return make_error(Errc::data_loss, "no partition table or file system recognised: " + tsk_error_text());
    }
    bool go_on = true;
    visitor.scope(uint64_t{0});
    if (wants_volume(0)) {
      VolumeInfo volume{source, display_prefix, std::nullopt, 0, media_size, "", "", tsk().fs_type_toname(fs->ftype)};
      visitor.volume(volume);
      go_on = walk_filesystem(source, image_path, fs, display_prefix + "/", std::nullopt, options, visitor);
    }
    tsk().fs_close(fs);
    if (go_on && options.raw && wants_outside() && !visitor.stopped()) {
      visitor.scope(std::nullopt);
      report_range(visitor, source, image_path, display_prefix, "image", 0, media_size, std::nullopt, std::nullopt, "");
    }
    return ok_status();
  }

  const char* scheme = tsk().vs_type_toname(vs->vstype);
  unsigned index = 0;
  bool go_on = true;
  for (TSK_PNUM_T i = 0; i < vs->part_count && go_on && !visitor.stopped(); ++i) {
    const TSK_VS_PART_INFO* part = tsk().vs_part_get(vs, i);
    if (part == nullptr) continue;
    const uint64_t offset = static_cast<uint64_t>(part->start) * vs->block_size;
    uint64_t length = static_cast<uint64_t>(part->len) * vs->block_size;
    if (part->flags & TSK_VS_PART_FLAG_META) continue;
    if (part->flags & TSK_VS_PART_FLAG_UNALLOC) {
      // Space outside every partition: only as a byte range.
      if (options.unallocated && offset < media_size && wants_outside()) {
        visitor.scope(std::nullopt);
        length = std::min(length, media_size - offset);
        report_range(visitor, source, image_path, display_prefix + "/$Unpartitioned", "unpartitioned", offset, length,
                     std::nullopt, std::nullopt, "");
      }
      continue;
    }
    ++index;
    if (!wants_volume(offset)) continue;
    visitor.scope(offset);
    const std::string prefix = display_prefix + "/p" + std::to_string(index);
    VolumeInfo volume{source, prefix, index, offset, length, scheme, part->desc != nullptr ? part->desc : "", ""};
    if (offset >= media_size) {
      visitor.volume(volume);
      visitor.error(WalkError{source, prefix, make_error(Errc::data_loss, "partition starts past the end of the image"), offset});
      continue;
    }
    TSK_FS_INFO* fs = tsk().fs_open_vol(part, TSK_FS_TYPE_DETECT);
    if (fs == nullptr) {
      const std::string why = tsk_error_text();
      visitor.volume(volume);
      visitor.error(WalkError{source, prefix, make_error(Errc::data_loss, "no file system recognised: " + why), offset});
      if (options.unallocated && offset < media_size) {
        // Unknown content is all potentially interesting: hand it over whole.
        report_range(visitor, source, image_path, prefix + "/$Unrecognised", "unrecognised", offset,
                     std::min(length, media_size - offset), index, std::nullopt, "");
      }
      continue;
    }
    volume.fs_type = tsk().fs_type_toname(fs->ftype);
    visitor.volume(volume);
    go_on = walk_filesystem(source, image_path, fs, prefix + "/", index, options, visitor);
    tsk().fs_close(fs);
  }
  tsk().vs_close(vs);
  if (go_on && options.raw && !visitor.stopped() && wants_outside()) {
    visitor.scope(std::nullopt);
    report_range(visitor, source, image_path, display_prefix, "image", 0, media_size, std::nullopt, std::nullopt, "");
  }
  return ok_status();
}

}  // namespace trawl::io

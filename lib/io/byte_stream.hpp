#pragma once
// ByteStream: the bytes of one item, whatever holds them (a host file, a file
// in a file system inside an image, an archive member, a byte range).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "core/result.hpp"

namespace trawl::io {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  /// Reads the next bytes in order; 0 means the end. Errors are values.
  virtual Result<size_t> read(std::span<std::byte> buffer) = 0;
  /// Total length when known in advance.
  virtual std::optional<uint64_t> size() const { return std::nullopt; }
  /// Whether read_at works (host files, file-system files, memory).
  virtual bool seekable() const { return false; }
  /// Random access read; short only at the end. Does not move read()'s position.
  virtual Result<size_t> read_at(uint64_t offset, std::span<std::byte> buffer);
  /// Whether view_at works: the stream can show its bytes in place (memory, a mapped host file).
  virtual bool viewable() const { return false; }
  /// Up to `length` bytes at `offset` without copying them (the chunker's zero-copy pages): short
  /// only at the end. Valid until the next view_at on this stream or its destruction. Does not move
  /// read()'s position.
  virtual Result<std::span<const std::byte>> view_at(uint64_t offset, size_t length);
  /// The absolute offset in the evidence image of the byte at `item_offset`,
  /// when this stream maps straight onto the image there (a file's allocated,
  /// uncompressed data); nullopt otherwise. Lets a finding inside a file be
  /// re-located in the raw image.
  virtual std::optional<uint64_t> image_offset(uint64_t item_offset) const {
    (void)item_offset;
    return std::nullopt;
  }
};

/// A stream that serves random access through read_at and keeps a cursor for read().
class SeekableStream : public ByteStream {
 public:
  Result<size_t> read(std::span<std::byte> buffer) final;
  bool seekable() const final { return true; }
  Result<size_t> read_at(uint64_t offset, std::span<std::byte> buffer) override = 0;
  void rewind() { position_ = 0; }

 private:
  uint64_t position_ = 0;
};

/// Bytes held in memory (nested archives, tests, fuzzers).
class MemoryStream final : public SeekableStream {
 public:
  explicit MemoryStream(std::string bytes) : bytes_(std::move(bytes)) {}
  std::optional<uint64_t> size() const override { return bytes_.size(); }
  Result<size_t> read_at(uint64_t offset, std::span<std::byte> buffer) override;
  bool viewable() const override { return true; }
  Result<std::span<const std::byte>> view_at(uint64_t offset, size_t length) override;
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

/// Reads up to buffer.size() bytes, looping over short reads; fewer only at the end.
Result<size_t> read_full(ByteStream& stream, std::span<std::byte> buffer);
Result<size_t> read_full_at(ByteStream& stream, uint64_t offset, std::span<std::byte> buffer);

}  // namespace trawl::io

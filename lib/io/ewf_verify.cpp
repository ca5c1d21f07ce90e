#include "io/ewf_verify.hpp"

#include <libewf.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "hash/digest.hpp"
#include "io/read_buffer.hpp"
#include "io/tsk_image.hpp"

namespace trawl::io {
namespace {

constexpr size_t kBlock = 1 << 20;

std::string ewf_error_text(libewf_error_t* error) {
  char text[512] = {0};
  if (error != nullptr) {
    libewf_error_sprint(error, text, sizeof text);
    libewf_error_free(&error);
  }
  std::string out = text[0] ? text : "unknown libewf error";
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

/// Reads the stored digest named `which` ("MD5", "SHA1"); empty if absent.
std::string stored_hash(libewf_handle_t* handle, const char* which) {
  uint8_t value[129] = {0};
  libewf_error_t* error = nullptr;
  const int r = libewf_handle_get_utf8_hash_value(handle, reinterpret_cast<const uint8_t*>(which), std::strlen(which),
                                                  value, sizeof value, &error);
  if (error != nullptr) libewf_error_free(&error);
  if (r != 1) return "";
  std::string text(reinterpret_cast<const char*>(value));
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

void finish(ImageCheck& check, hash::MultiDigest& digest) {
  for (auto& [algorithm, hex] : digest.finish()) {
    if (algorithm == hash::Algorithm::md5) check.computed_md5 = hex;
    if (algorithm == hash::Algorithm::sha1) check.computed_sha1 = hex;
  }
}

}  // namespace

ImageCheck check_image(const std::string& image_path, const std::string& source) {
  ImageCheck check;
  check.source = source;
  hash::MultiDigest digest({hash::Algorithm::md5, hash::Algorithm::sha1});
  ReadBuffer block(kBlock);

  libewf_error_t* error = nullptr;
  if (libewf_check_file_signature(image_path.c_str(), &error) == 1) {
    check.format = "ewf";
    char** files = nullptr;
    int count = 0;
    libewf_handle_t* handle = nullptr;
    if (libewf_glob(image_path.c_str(), image_path.size(), LIBEWF_FORMAT_UNKNOWN, &files, &count, &error) != 1 ||
        libewf_handle_initialize(&handle, &error) != 1 ||
        libewf_handle_open(handle, files, count, LIBEWF_OPEN_READ, &error) != 1) {
      check.verified = false;
      check.error = "cannot open EWF set: " + ewf_error_text(error);
      if (handle != nullptr) libewf_handle_free(&handle, nullptr);
      if (files != nullptr) libewf_glob_free(files, count, nullptr);
      return check;
    }
    size64_t media = 0;
    libewf_handle_get_media_size(handle, &media, nullptr);
    check.media_size = media;
    check.stored_md5 = stored_hash(handle, "MD5");
    check.stored_sha1 = stored_hash(handle, "SHA1");
    bool read_ok = true;
    for (uint64_t offset = 0; offset < media;) {
      const size_t want = static_cast<size_t>(std::min<uint64_t>(kBlock, media - offset));
      const ssize_t n = libewf_handle_read_random(handle, block.data(), want, static_cast<off64_t>(offset), &error);
      if (n <= 0) {
        check.error = "read at media offset " + std::to_string(offset) + ": " + ewf_error_text(error);
        read_ok = false;
        break;
      }
      digest.update(std::span(block.data(), static_cast<size_t>(n)));
      offset += static_cast<uint64_t>(n);
    }
    libewf_handle_close(handle, nullptr);
    libewf_handle_free(&handle, nullptr);
    libewf_glob_free(files, count, nullptr);
    finish(check, digest);
    if (!read_ok) {
      check.verified = false;
    } else if (!check.stored_md5.empty() || !check.stored_sha1.empty()) {
      check.verified = (check.stored_md5.empty() || check.stored_md5 == check.computed_md5) &&
                       (check.stored_sha1.empty() || check.stored_sha1 == check.computed_sha1);
    }
    return check;
  }
  if (error != nullptr) libewf_error_free(&error);

  // Raw and split raw: the digest of the media, with nothing to compare to.
  check.format = "raw";
  auto size = image_media_size(image_path);
  if (!size) {
    check.error = size.error().detail;
    return check;
  }
  check.media_size = *size;
  auto stream = open_image_range(image_path, 0, *size);
  if (!stream) return check;
  for (;;) {
    auto n = (*stream)->read(block.span());
    if (!n) check.error = n.error().detail;
    if (!n || *n == 0) break;
    digest.update(std::span(block.data(), *n));
  }
  finish(check, digest);
  return check;
}

}  // namespace trawl::io

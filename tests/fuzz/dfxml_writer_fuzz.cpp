// Fuzzes the DFXML writer with records parsed from the input (one JSON object
// per line, so any field may hold any value, as upstream records can).
// Properties checked:
//  - append_xml_escaped of arbitrary bytes is valid UTF-8 without markup
//    characters or characters XML 1.0 forbids;
//  - the document is valid UTF-8, carries no forbidden control character,
//    has as many </fileobject> as <fileobject>, at most one per record, and
//    ends with </dfxml>.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/utf8.hpp"
#include "record/dfxml_writer.hpp"
#include "record/jsonl_reader.hpp"

namespace {

bool forbidden_control(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
  return false;
}

size_t count(std::string_view text, std::string_view needle) {
  size_t n = 0;
  for (size_t p = text.find(needle); p != std::string_view::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

void check_escape(std::string_view input) {
  std::string out;
  trawl::record::append_xml_escaped(out, input);
  if (!trawl::is_valid_utf8(out) || forbidden_control(out)) __builtin_trap();
  if (out.find_first_of("<>\"'\t\n\r") != std::string::npos) __builtin_trap();
}

void check_document(std::string_view input) {
  static const int fd = memfd_create("dfxml_writer_fuzz", 0);
  if (fd < 0 || ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0) return;
  size_t records = 0;
  {
    trawl::record::FdOutput out(fd);
    trawl::record::DfxmlRun run;
    run.program = "fuzz";
    run.command_line = std::string(input.substr(0, 64));
    run.rusage = false;
    trawl::record::DfxmlWriter writer(out, run);
    size_t start = 0;
    while (start < input.size()) {
      size_t end = input.find('\n', start);
      if (end == std::string_view::npos) end = input.size();
      auto r = trawl::record::parse_json_record(input.substr(start, end - start));
      if (r.ok()) {
        ++records;
        writer.write(r.value());
      }
      start = end + 1;
    }
  }
  std::string doc;
  lseek(fd, 0, SEEK_SET);
  char block[65536];
  for (ssize_t n; (n = read(fd, block, sizeof block)) > 0;) doc.append(block, static_cast<size_t>(n));
  if (!trawl::is_valid_utf8(doc) || forbidden_control(doc)) __builtin_trap();
  const size_t open = count(doc, "<fileobject>");
  if (open != count(doc, "</fileobject>") || open > records) __builtin_trap();
  if (doc.size() < 9 || doc.compare(doc.size() - 9, 9, "</dfxml>\n") != 0) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_escape(input);
  check_document(input);
  return 0;
}

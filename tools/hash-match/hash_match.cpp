#include "hash-match/hash_match.hpp"

#include <vector>

#include "hash/digest.hpp"
#include "io/item_record.hpp"

namespace trawl::tools {
namespace {

constexpr size_t kReadBlock = 1 << 20;  // large reads: the digests, not syscalls, should cost

/// Hashes each item with every requested digest from a single read.
class HashConsumer final : public io::ItemConsumer {
 public:
  explicit HashConsumer(std::vector<hash::Algorithm> algorithms) : algorithms_(std::move(algorithms)) {}

  void consume(const io::ItemInfo& info, io::ByteStream* data, record::RecordSink& out) override {
    record::Record r = io::item_record("hash-match", info);
    if (data != nullptr) {
      thread_local std::vector<std::byte> block(kReadBlock);
      hash::MultiDigest digest(algorithms_);
      uint64_t total = 0;
      for (;;) {
        auto n = data->read(block);
        if (!n) {
          out.write(io::error_record("hash-match", info.source, info.path, n.error(), info.offset));
          return;
        }
        if (*n == 0) break;
        digest.update(std::span(block.data(), *n));
        total += *n;
      }
      if (info.kind == io::ItemKind::file) r.set("size", total);
      for (auto& [algorithm, hex] : digest.finish()) r.set(hash::algorithm_name(algorithm), hex);
    }
    out.write(r);
  }

 private:
  std::vector<hash::Algorithm> algorithms_;
};

std::vector<hash::Algorithm> algorithms_from(const cli::po::variables_map& vm) {
  auto parsed = hash::parse_algorithm_list(vm["digests"].as<std::string>());
  if (!parsed) throw cli::po::error(parsed.error().detail);
  return *parsed;
}

}  // namespace

cli::ToolSpec hash_match_spec() {
  cli::ToolSpec spec;
  spec.name = "hash-match";
  spec.synopsis = "Hash every file, stream, archive member and byte range of the evidence.";
  spec.add_options = [](cli::po::options_description& o) {
    o.add_options()("digests,c", cli::po::value<std::string>()->default_value("md5,sha1,sha256")->value_name("LIST"),
                    "digests to compute, comma-separated: md5, sha1, sha256, sha512; none reads every byte without hashing");
  };
  spec.primary_types = {"file", "range"};
  spec.tsv_columns = [](const cli::po::variables_map& vm) {
    std::vector<std::string> columns = {"type", "source", "path", "size", "deleted", "partition_offset", "inode",
                                        "offset", "length"};
    for (auto a : algorithms_from(vm)) columns.push_back(hash::algorithm_name(a));
    columns.push_back("error");
    columns.push_back("detail");
    return columns;
  };
  spec.make_consumer = [](const cli::po::variables_map& vm) -> std::unique_ptr<io::ItemConsumer> {
    return std::make_unique<HashConsumer>(algorithms_from(vm));
  };
  return spec;
}

int hash_match_main(int argc, char** argv) { return cli::run_tool(hash_match_spec(), argc, argv); }

}  // namespace trawl::tools

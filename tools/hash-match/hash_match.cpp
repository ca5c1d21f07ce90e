#include "hash-match/hash_match.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "hash-match/index_command.hpp"
#include "hash-match/known_sets.hpp"
#include "hash/block_scan.hpp"
#include "hash/digest.hpp"
#include "formats/image_decode.hpp"
#include "hash/fuzzy_digest.hpp"
#include "hash/pdq.hpp"
#include "hash/set_writers.hpp"
#include "core/timestamp.hpp"
#include "core/version.hpp"
#include "io/item_record.hpp"
#include "io/read_buffer.hpp"
#include "record/dfxml_writer.hpp"

namespace trawl::tools {
namespace {

constexpr size_t kReadBlock = 1 << 20;  // large reads: the digests, not syscalls, should cost

/// What -c asks for: the binary digests, and whether ssdeep is wanted too.
struct DigestRequest {
  std::vector<hash::Algorithm> algorithms;
  bool ssdeep = false;
  bool pdq = false;
};

/// Largest image kept in memory to compute its PDQ hash.
constexpr size_t kMaxImageBytes = 256u << 20;

DigestRequest requested_digests(const cli::po::variables_map& vm) {
  std::string list = vm["digests"].as<std::string>();
  DigestRequest request;
  // ssdeep is not a fixed-width digest: take it out before parsing the rest.
  std::string rest;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (name == "ssdeep") {
      request.ssdeep = true;
    } else if (name == "pdq") {
      request.pdq = true;
    } else {
      rest += (rest.empty() ? "" : ",") + name;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (rest.empty() && (request.ssdeep || request.pdq)) return request;
  auto parsed = hash::parse_algorithm_list(rest);
  if (!parsed) throw cli::po::error(parsed.error().detail);
  request.algorithms = *parsed;
  return request;
}

/// A `match` record: the item's record with the bad set that matched and how.
record::Record match_record(const record::Record& item, const std::string& set, const char* matched) {
  record::Record m = item;
  m.set("type", "match");
  m.set("set", set);
  m.set("set_kind", "bad");
  m.set("matched", matched);
  return m;
}

/// Hashes each item with every requested digest from a single read, then
/// checks the digests against the known-good and known-bad sets.
class HashConsumer final : public io::ItemConsumer {
 public:
  HashConsumer(DigestRequest request, std::shared_ptr<const KnownSets> sets, bool keep_good, bool matches_only)
      : request_(std::move(request)), sets_(std::move(sets)), keep_good_(keep_good), matches_only_(matches_only) {}

  void consume(const io::ItemInfo& info, io::ByteStream* data, record::RecordSink& out) override {
    const bool blocks = data != nullptr && info.kind == io::ItemKind::range && sets_ != nullptr && !sets_->blocks.empty();
    if (info.window && info.window->start > 0) {
      // A later window of a range cut into work units (or shared out among the
      // threads): the window at the range's start writes the range's record and
      // digests; this one only matches blocks, for the runs that start in it.
      if (blocks) scan_blocks(info, *data, out);
      return;
    }
    record::Record r = io::item_record("hash-match", info);
    hash::ItemDigests digests;
    std::string fuzzy;
    std::vector<hash::PdqHash> perceptual;  // original first, then the 7 other transforms
    if (data != nullptr) {
      thread_local io::ReadBuffer block(kReadBlock);
      hash::MultiDigest digest(request_.algorithms);
      std::optional<hash::FuzzyDigest> ssdeep;
      if (request_.ssdeep) ssdeep.emplace();
      // PDQ needs the whole image decoded: keep the bytes of items whose
      // first block says they are an image (and only those).
      std::string image;
      bool keep_image = false;
      uint64_t total = 0;
      for (;;) {
        auto n = data->read(block.span());
        if (!n) {
          out.write(io::error_record("hash-match", info.source, info.path, n.error(), info.offset));
          return;
        }
        if (*n == 0) break;
        const auto chunk = std::span(block.data(), *n);
        digest.update(chunk);
        if (ssdeep) ssdeep->update(chunk);
        if (request_.pdq && total == 0)
          keep_image = info.kind == io::ItemKind::file && formats::detect_image_format(chunk) != formats::ImageFormat::unknown;
        if (keep_image) {
          if (image.size() + *n > kMaxImageBytes) {
            keep_image = false;
            image.clear();
            r.set("pdq_error", "image larger than " + std::to_string(kMaxImageBytes) + " bytes: not decoded");
          } else {
            image.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
          }
        }
        total += *n;
      }
      if (info.kind == io::ItemKind::file) r.set("size", total);
      digests = digest.finish();
      for (auto& [algorithm, hex] : digests) r.set(hash::algorithm_name(algorithm), hex);
      if (ssdeep) {
        fuzzy = ssdeep->finish();
        if (!fuzzy.empty()) r.set("ssdeep", fuzzy);
      }
      if (keep_image) perceptual = perceptual_hashes(image, r);
    }
    if (sets_ == nullptr || (digests.empty() && fuzzy.empty() && perceptual.empty() && sets_->blocks.empty())) {
      if (!matches_only_) out.write(r);
      return;
    }
    // Block matching does not depend on the range's digests: the windows of a
    // range cut into units cannot know them, and must find the same runs.
    write_item(r, digests, fuzzy, perceptual, out);
    if (blocks) scan_blocks(info, *data, out);
  }

 private:
  /// The item's record and its exact, fuzzy and perceptual matches; a known-good item is dropped unless --all.
  void write_item(record::Record& r, const hash::ItemDigests& digests, const std::string& fuzzy,
                  const std::vector<hash::PdqHash>& perceptual, record::RecordSink& out) const {
    if (sets_->exact != nullptr) {
      if (auto good = sets_->exact->known_good(digests)) {
        if (!keep_good_) return;  // the classic NSRL filter: known good is noise
        r.set("known_good", *good);
      }
    }
    std::vector<record::Record> matches;
    if (sets_->exact != nullptr) matches = sets_->exact->match_bad(r, digests);
    if (!fuzzy.empty()) add_fuzzy_matches(r, fuzzy, matches);
    if (!perceptual.empty()) add_perceptual_matches(r, perceptual, matches);
    if (!matches_only_) out.write(r);
    for (const auto& m : matches) out.write(m);
  }

  /// ssdeep lists: every entry scoring above the threshold, as `ssdeep -m` reports it.
  void add_fuzzy_matches(const record::Record& r, const std::string& fuzzy, std::vector<record::Record>& matches) const {
    for (const auto& set : sets_->fuzzy) {
      for (size_t i = 0; i < set.entries.size(); ++i) {
        const int score = hash::fuzzy_similarity(fuzzy, set.entries[i].signature);
        if (score <= sets_->ssdeep_threshold) continue;
        record::Record m = match_record(r, set.label, "ssdeep");
        m.set("score", score);
        m.set("entry", static_cast<uint64_t>(i));
        if (!set.entries[i].name.empty()) m.set("entry_name", set.entries[i].name);
        matches.push_back(std::move(m));
      }
    }
  }

  /// Decodes the image and sets `pdq` and `pdq_quality` (or `pdq_error`).
  /// Returns the hashes to match: none for low quality, 8 with --pdq-dihedral.
  std::vector<hash::PdqHash> perceptual_hashes(const std::string& bytes, record::Record& r) const {
    auto decoded = formats::decode_image(std::as_bytes(std::span(bytes)), formats::ImageLimits{});
    if (!decoded) {
      r.set("pdq_error", std::string(errc_name(decoded.error().code)) + ": " + decoded.error().detail);
      return {};
    }
    std::vector<hash::PdqHash> hashes;
    if (sets_ != nullptr && sets_->pdq_dihedral) {
      auto all = hash::pdq_hash_dihedral(*decoded);
      hashes.assign(all.begin(), all.end());
    } else {
      hashes.push_back(hash::pdq_hash(*decoded));
    }
    r.set("pdq", hash::pdq_hex(hashes.front().bits));
    r.set("pdq_quality", hashes.front().quality);
    // Low-quality hashes (flat images) match everything alike: never used.
    if (hashes.front().quality < hash::PdqSetOptions{}.min_quality) return {};
    return hashes;
  }

  /// PDQ lists: every entry within --pdq-distance bits, with the transform that matched.
  void add_perceptual_matches(const record::Record& r, const std::vector<hash::PdqHash>& hashes,
                              std::vector<record::Record>& matches) const {
    for (const auto& set : sets_->perceptual) {
      std::map<uint64_t, std::pair<int, size_t>> best;  // entry -> (distance, transform)
      for (size_t t = 0; t < hashes.size(); ++t) {
        for (const auto& m : set.set->index.query(hashes[t].bits, sets_->pdq_distance)) {
          auto it = best.find(m.id);
          if (it == best.end() || m.distance < it->second.first) best[m.id] = {m.distance, t};
        }
      }
      for (const auto& [id, hit] : best) {
        record::Record m = match_record(r, set.label, "pdq");
        m.set("distance", hit.first);
        if (hit.second != 0) m.set("transform", hash::pdq_transform_name(static_cast<hash::PdqTransform>(hit.second)));
        m.set("entry", id);
        if (id < set.set->names.size() && !set.set->names[id].empty()) m.set("entry_name", set.set->names[id]);
        matches.push_back(std::move(m));
      }
    }
  }

  /// Block indexes: scans the byte range again (ranges are seekable) for
  /// sector-aligned blocks of known files; one match record per run, whose
  /// offset and length address the fragment itself. With a window, only the
  /// runs starting in it, each followed to its end (BlockScanOptions::own_from).
  void scan_blocks(const io::ItemInfo& info, io::ByteStream& data, record::RecordSink& out) const {
    // The range's own record without its digests: the same in every window.
    const record::Record r = io::item_record("hash-match", info);
    const uint64_t range_offset = info.offset.value_or(0);
    // With several block indexes the runs of all of them go out in offset order (then in the order the sets
    // were given), so that the windows' outputs concatenate into the unsharded order.
    const bool several = sets_->blocks.size() > 1;
    std::vector<std::pair<hash::BlockRun, size_t>> runs;  // (run, set) when several
    std::vector<record::Record> errors;
    auto write_run = [&](const hash::BlockRun& run, const BlockSet& set) {
      record::Record m = match_record(r, set.label, "blocks");
      m.set("offset", run.offset);
      m.set("length", run.length);
      m.set("range_offset", range_offset);
      m.set("entry_name", run.file);
      m.set("first_block", run.first_block);
      m.set("block_count", run.block_count);
      m.set("block_size", static_cast<uint64_t>(set.index->block_size()));
      return out.write(m) == record::SinkStatus::proceed;
    };
    for (size_t i = 0; i < sets_->blocks.size(); ++i) {
      const BlockSet& set = sets_->blocks[i];
      hash::BlockScanOptions options;
      uint64_t from = 0;  // where reading starts, in the range
      if (info.window) {
        options.own_from = range_offset + info.window->start;
        options.own_until = range_offset + info.window->end;
        from = info.window->start > set.index->block_size() ? info.window->start - set.index->block_size() : 0;
      }
      RewoundStream again(data, from);
      hash::BlockScanner scanner(*set.index, options);
      auto status = scanner.scan(again, range_offset + from, [&](const hash::BlockRun& run) {
        if (!several) return write_run(run, set);
        runs.emplace_back(run, i);
        return true;
      });
      if (!status) errors.push_back(io::error_record("hash-match", info.source, info.path, status.error(), info.offset));
      if (!several) {
        for (const auto& e : errors) out.write(e);
        errors.clear();
      }
    }
    std::stable_sort(runs.begin(), runs.end(), [](const auto& a, const auto& b) { return a.first.offset < b.first.offset; });
    for (const auto& [run, i] : runs)
      if (!write_run(run, sets_->blocks[i])) return;
    for (const auto& e : errors) out.write(e);
  }

  /// Reads a seekable stream again from `start`.
  class RewoundStream final : public io::ByteStream {
   public:
    RewoundStream(io::ByteStream& inner, uint64_t start) : inner_(inner), position_(start), start_(start) {}
    Result<size_t> read(std::span<std::byte> buffer) override {
      auto n = inner_.read_at(position_, buffer);
      if (n) position_ += *n;
      return n;
    }
    std::optional<uint64_t> size() const override {
      auto whole = inner_.size();
      if (whole && *whole >= start_) return *whole - start_;
      return whole ? std::optional<uint64_t>(0) : std::nullopt;
    }

   private:
    io::ByteStream& inner_;
    uint64_t position_;
    const uint64_t start_;
  };

  DigestRequest request_;
  std::shared_ptr<const KnownSets> sets_;
  bool keep_good_;
  bool matches_only_;
};

/// Only the digests the loaded sets need are computed, unless -c asks for more.
DigestRequest digests_for(const cli::po::variables_map& vm, const KnownSets* sets) {
  DigestRequest out;
  const bool explicit_c = !vm["digests"].defaulted();
  if (sets == nullptr || explicit_c) out = requested_digests(vm);
  if (sets != nullptr && sets->exact != nullptr) {
    for (auto a : sets->exact->algorithms())
      if (std::find(out.algorithms.begin(), out.algorithms.end(), a) == out.algorithms.end()) out.algorithms.push_back(a);
  }
  if (sets != nullptr && !sets->fuzzy.empty()) out.ssdeep = true;
  if (sets != nullptr && !sets->perceptual.empty()) out.pdq = true;
  return out;
}

/// The DFXML creator and source blocks of this run.
record::DfxmlRun dfxml_run(const cli::po::variables_map& vm, const std::string& command_line) {
  record::DfxmlRun run;
  run.program = "hash-match";
  run.version = std::string(kVersion) + " " + kGitCommit;
  run.command_line = command_line;
  run.start_time = now_rfc3339();
  if (vm.count("source")) run.sources = vm["source"].as<std::vector<std::string>>();
  record::fill_host_environment(run);
  return run;
}

bool sets_given(const cli::po::variables_map& vm) { return vm.count("known-good") || vm.count("known-bad"); }

}  // namespace

cli::ToolSpec hash_match_spec() {
  cli::ToolSpec spec;
  spec.name = "hash-match";
  spec.synopsis =
      "Hash every file, stream, archive member and byte range of the evidence, and match the digests\n"
      "against known-good and known-bad sets.\n"
      "       hash-match index SET... -o NAME.tidx [--name LABEL] [--kind good|bad]   compiles sets";
  spec.add_options = [](cli::po::options_description& o) {
    o.add_options()("digests,c", cli::po::value<std::string>()->default_value("md5,sha1,sha256")->value_name("LIST"),
                    "digests to compute, comma-separated: md5, sha1, sha256, sha512, ssdeep, pdq (images); none reads every byte without hashing")(
        "known-good", cli::po::value<std::vector<std::string>>()->value_name("SET"),
        "drop items whose digest is in SET (a .tidx index or a set file; repeatable)")(
        "known-bad", cli::po::value<std::vector<std::string>>()->value_name("SET"),
        "report items whose digest is in SET as match records (repeatable)")(
        "all", "keep known-good items, marked with known_good")(
        "matches-only", "with --known-bad: write only match records (and errors)")(
        "category-profile", cli::po::value<std::string>()->default_value("none")->value_name("NAME"),
        "label VICS categories: vic-us, dhs, caid-uk or none")(
        "strict", "a malformed line in a set is fatal instead of skipped")(
        "ssdeep-threshold", cli::po::value<int>()->default_value(0)->value_name("N"),
        "ssdeep lists given as --known-bad: report matches scoring above N (0-100)")(
        "pdq-distance", cli::po::value<int>()->default_value(31)->value_name("N"),
        "PDQ lists given as --known-bad: report images at most N bits apart")(
        "pdq-dihedral", "PDQ: also match the 8 rotations and flips of each image");
  };
  spec.primary_types = {"file", "range"};
  spec.primary_types_for = [](const cli::po::variables_map& vm) -> std::vector<std::string> {
    if (vm.count("known-bad")) return {"match"};
    return {"file", "range"};
  };
  spec.only_types = [](const cli::po::variables_map& vm) -> std::vector<std::string> {
    if (vm.count("matches-only") && vm.count("known-bad")) return {"match"};
    return {};
  };
  spec.tsv_columns = [](const cli::po::variables_map& vm) {
    std::vector<std::string> columns = {"type", "source", "path", "size", "deleted", "partition_offset", "inode",
                                        "offset", "length"};
    const auto request = requested_digests(vm);
    for (auto a : request.algorithms) columns.push_back(hash::algorithm_name(a));
    if (request.ssdeep) columns.push_back("ssdeep");
    if (request.pdq) columns.push_back("pdq");
    if (sets_given(vm)) {
      for (const char* c : {"known_good", "set", "matched", "partial", "category", "category_label", "media_id"})
        columns.push_back(c);
    }
    columns.push_back("error");
    columns.push_back("detail");
    return columns;
  };
  spec.extra_formats = {"hashdeep", "md5sum", "sha1sum", "sha256sum", "sha512sum", "dfxml"};
  // hashdeep's header and DFXML's document are not repeated per unit: refused by --plan. A byte range is hashed whole
  // (a digest cannot be split) by the unit of its first window; with block indexes the block matching of a long range
  // is cut into windows (units, and jobs for the threads), each owning the runs that start in it and following them
  // past its end. The margin given is one block, the look-back before each window.
  spec.unit_formats = {"md5sum", "sha1sum", "sha256sum", "sha512sum"};
  spec.unit_margin = [](const cli::po::variables_map& vm) { return block_margin(vm); };
  spec.make_writer = [](const std::string& format, record::FdOutput& out, const cli::po::variables_map& vm,
                        const std::string& command_line) -> std::unique_ptr<record::RecordSink> {
    if (format == "hashdeep")
      return std::make_unique<hash::HashdeepWriter>(out, requested_digests(vm).algorithms, command_line);
    if (format == "dfxml") return std::make_unique<record::DfxmlWriter>(out, dfxml_run(vm, command_line));
    const auto algorithm = hash::parse_algorithm(format.substr(0, format.size() - 3));
    return std::make_unique<hash::SumWriter>(out, algorithm.value_or(hash::Algorithm::md5));
  };
  spec.make_consumer = [](const cli::po::variables_map& vm) -> std::unique_ptr<io::ItemConsumer> {
    std::shared_ptr<const KnownSets> sets;
    if (sets_given(vm)) sets = load_known_sets(vm);
    auto request = digests_for(vm, sets.get());
    const std::string format = vm["format"].as<std::string>();
    if (format.size() > 3 && format.compare(format.size() - 3, 3, "sum") == 0) {
      // md5sum output needs that digest whatever else is computed.
      const auto a = hash::parse_algorithm(format.substr(0, format.size() - 3));
      if (a && std::find(request.algorithms.begin(), request.algorithms.end(), *a) == request.algorithms.end())
        request.algorithms.push_back(*a);
    }
    return std::make_unique<HashConsumer>(request, sets, vm.count("all") > 0, vm.count("matches-only") > 0);
  };
  return spec;
}

int hash_match_main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "index") == 0) return index_command_main(argc - 1, argv + 1);
  return cli::run_tool(hash_match_spec(), argc, argv);
}

}  // namespace trawl::tools

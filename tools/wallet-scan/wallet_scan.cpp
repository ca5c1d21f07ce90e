#include "wallet-scan/wallet_scan.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <tuple>

#include "io/chunker.hpp"
#include "io/item_record.hpp"
#include "record/jsonl_writer.hpp"
#include "scan/base58.hpp"
#include "scan/derive.hpp"
#include "scan/wallet_files.hpp"
#include "scan/wallet_scanner.hpp"
#include "scan/wallet_seeds.hpp"
#include "wallet-scan/chain_csv.hpp"
#include "wallet-scan/value_list.hpp"

namespace trawl::tools {
namespace {

/// Pages of 256 KiB with a margin of ~66 KiB: the buffer they are read into stays in a 1 MiB L2 cache while
/// the finders pass over it (pages of 1 MiB with the 1 MiB wallet-file margin: 8 % more CPU on text).
constexpr std::size_t kPageSize = std::size_t{256} << 10;
/// The item's first MiB is searched for wallet files as one page, as it always was: LevelDB tables and logs
/// are read from the item start (a table whose end lies in its window is found whole).
constexpr std::size_t kFilePage = std::size_t{1} << 20;
static_assert(kFilePage % kPageSize == 0, "pages tile the item's first file page");

/// The longest hit any finder reports: what a work unit reads around its window.
std::size_t wallet_margin() { return std::max(scan::wallet_scan_margin(), scan::wallet_file_margin()); }

/// The look-ahead of every page: the text finders' margin and what the wallet-file gate reads. The wallet-file
/// parsers' 1 MiB is read only for pages the gate lets through (Chunker::extend_to).
std::size_t page_margin() { return std::max(scan::wallet_scan_margin(), scan::wallet_file_gate_margin()); }

/// Kinds whose value is a secret (redacted unless --reveal-secrets, copied to --secrets-out).
bool secret_kind(const std::string& kind) {
  return kind == "bip39.phrase" || kind == "electrum.seed" || kind == "monero.seed" ||
         kind.find("wif") != std::string::npos || kind.find("xprv") != std::string::npos ||
         kind.find("private") != std::string::npos;
}

/// "first … last (N words)" for phrases, "abcd…wxyz" for keys, a marker for
/// anything else. Phrases are counted in words: list numbers ("1.", "2)"),
/// commas, quotes and brackets around them are not words (an apostrophe inside
/// a word is part of it).
std::string redact(const std::string& value) {
  std::vector<std::string_view> words;
  std::string_view v(value);
  auto separator = [](char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ',' || c == '"' || c == '\'' || c == '[' ||
           c == ']';
  };
  // U+3000, the ideographic space, separates Japanese phrases.
  auto ideographic_space = [&](std::size_t at) { return v.substr(at, 3) == "\xE3\x80\x80"; };
  for (std::size_t i = 0; i < v.size();) {
    while (i < v.size() && (separator(v[i]) || ideographic_space(i))) i += separator(v[i]) ? 1 : 3;
    std::size_t j = i;
    // An apostrophe between two word bytes is part of the word (Lojban Monero words: "jbota'a").
    while (j < v.size() && !ideographic_space(j) &&
           (!separator(v[j]) || (v[j] == '\'' && j > i && j + 1 < v.size() && !separator(v[j + 1]))))
      ++j;
    std::string_view token = v.substr(i, j - i);
    const bool list_number = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) {
      return (c >= '0' && c <= '9') || c == '.' || c == ')';
    });
    if (!token.empty() && !list_number) words.push_back(token);
    i = j;
  }
  if (words.size() >= 2)
    return std::string(words.front()) + " \xE2\x80\xA6 " + std::string(words.back()) + " (" +
           std::to_string(words.size()) + " words)";
  // A key: its first and last 4 characters, as the scanner redacts keys.
  if (value.size() > 12) return value.substr(0, 4) + "\xE2\x80\xA6" + value.substr(value.size() - 4);
  return "redacted";
}

/// Everything the consumers of one run share: options, lists, the secrets
/// file and the histogram behind --summary.
struct RunState {
  bool reveal = false;
  bool summary = false;
  unsigned derive = 5;
  ValueList builtin_stop = ValueList::builtin_stop_list();
  ValueList user_stop;
  ValueList watch;

  std::mutex secrets_mutex;
  std::unique_ptr<record::FdOutput> secrets_out;
  std::unique_ptr<record::JsonlWriter> secrets_writer;
  int secrets_fd = -1;

  struct Count {
    std::uint64_t count = 0;
    std::tuple<std::string, std::string, std::uint64_t> first;  // source, path, offset: the smallest, for determinism
  };
  std::mutex summary_mutex;
  std::map<std::pair<std::string, std::string>, Count> histogram;

  /// Linkage (written by finish): every address hit of the run and every
  /// address a found key controls, by normalised address. Bounded: past the
  /// limits, further hits are not linked. Kept for the whole run, not per item
  /// or window, so that the links do not depend on -j or on work units.
  struct HitRef {
    std::string kind;
    std::string value;  // as found (the map key is normalised)
    std::string source;
    std::string path;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    std::string derivation_path;  // keys only
    auto order() const { return std::tie(source, path, offset, kind, derivation_path); }
    /// The hit's address and value as record fields.
    void set_fields(record::Record& r) const {
      r.set("source", source);
      r.set("path", path);
      r.set("offset", offset);
      r.set("length", length);
      r.set("kind", kind);
      r.set("value", value);
    }
  };
  static constexpr std::size_t kMaxLinkAddresses = 250000;   // address hits remembered for the run
  static constexpr std::size_t kMaxLinkControlled = 500000;  // (derived address, key) pairs remembered
  std::mutex link_mutex;
  std::map<std::string, std::vector<HitRef>> run_addresses;   // normalised address -> its hits
  std::map<std::string, std::vector<HitRef>> run_controlled;  // normalised address -> keys controlling it
  std::size_t run_address_count = 0;
  std::size_t run_controlled_count = 0;

  static HitRef hit_ref(const record::Record& r) {
    HitRef h;
    h.kind = r.get_string("kind").value_or("");
    h.value = r.get_string("value").value_or("");
    h.source = r.get_string("source").value_or("");
    h.path = r.get_string("path").value_or("");
    h.offset = r.get_uint("offset").value_or(0);
    h.length = r.get_uint("length").value_or(0);
    h.derivation_path = r.get_string("derivation_path").value_or("");
    return h;
  }

  void remember_address(const std::string& address, const record::Record& r) {
    std::lock_guard lock(link_mutex);
    if (run_address_count >= kMaxLinkAddresses) return;
    ++run_address_count;
    run_addresses[address].push_back(hit_ref(r));
  }

  void remember_controlled(const std::string& address, const record::Record& key, const std::string& derivation) {
    HitRef h = hit_ref(key);
    h.derivation_path = derivation;
    std::lock_guard lock(link_mutex);
    if (run_controlled_count >= kMaxLinkControlled) return;
    ++run_controlled_count;
    run_controlled[address].push_back(std::move(h));
  }

  /// Work units: the linkage as `link_state` records (an address hit, or a key
  /// with an address it controls), for --merge to link across units.
  void save_links(record::RecordSink& out) {
    std::lock_guard lock(link_mutex);
    for (const auto* part : {&run_addresses, &run_controlled})
      for (const auto& [address, hits] : *part)
        for (const HitRef& h : hits) {
          record::Record r("link_state", "wallet-scan");
          r.set("part", part == &run_addresses ? "address" : "key");
          r.set("address", address);
          h.set_fields(r);
          if (part == &run_controlled) r.set("derivation_path", h.derivation_path);
          if (out.write(r) == record::SinkStatus::stop) return;
        }
  }

  /// Work units with --summary: the histogram as `count_state` records, summed by --merge.
  void save_counts(record::RecordSink& out) {
    std::lock_guard lock(summary_mutex);
    for (const auto& [key, c] : histogram)
      if (out.write(count_record("count_state", key, c)) == record::SinkStatus::stop) return;
  }

  void load_count(const record::Record& r) {
    summary = true;  // units save counts only when the plan's options ask for --summary
    add_count(r.get_string("kind").value_or(""), r.get_string("value").value_or(""),
              {r.get_string("first_source").value_or(""), r.get_string("first_path").value_or(""),
               r.get_uint("first_offset").value_or(0)},
              r.get_uint("count").value_or(0));
  }

  void load_link(const record::Record& r) {
    if (r.type() == "count_state") return load_count(r);
    if (r.type() != "link_state") return;
    const std::string address = r.get_string("address").value_or("");
    if (r.get_string("part") == "key") remember_controlled(address, r, r.get_string("derivation_path").value_or(""));
    else remember_address(address, r);
  }

  /// One `link` record per address hit controlled by keys found only in other
  /// items, naming the first of them in (source, path, offset) order, so the
  /// output does not depend on the order threads finished items in.
  void write_links(record::RecordSink& out) {
    auto by_order = [](const HitRef& a, const HitRef& b) { return a.order() < b.order(); };
    for (auto& [address, hits] : run_addresses) {
      auto keys = run_controlled.find(address);
      if (keys == run_controlled.end()) continue;
      std::sort(keys->second.begin(), keys->second.end(), by_order);
      std::sort(hits.begin(), hits.end(), by_order);
      for (const HitRef& h : hits) {
        // The key in the hit's own file when there is one (the first in offset order), else the first found.
        const auto own = std::find_if(keys->second.begin(), keys->second.end(),
                                      [&](const HitRef& k) { return k.source == h.source && k.path == h.path; });
        const HitRef& key = own != keys->second.end() ? *own : keys->second.front();
        record::Record r("link", "wallet-scan");
        h.set_fields(r);
        r.set("key_kind", key.kind);
        r.set("key_source", key.source);
        r.set("key_path", key.path);
        r.set("key_offset", key.offset);
        r.set("key_length", key.length);
        r.set("derivation_path", key.derivation_path);
        if (out.write(r) == record::SinkStatus::stop) return;
      }
    }
  }

  ~RunState() {
    secrets_writer.reset();
    secrets_out.reset();
    if (secrets_fd >= 0) ::close(secrets_fd);
  }

  void open_secrets(const std::string& path, const std::vector<std::string>& sources) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path target = fs::weakly_canonical(fs::absolute(path), ec);
    for (const auto& source : sources) {
      fs::path dir = fs::weakly_canonical(fs::absolute(source), ec);
      if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
      const auto rel = target.lexically_relative(dir);
      if (!rel.empty() && *rel.begin() != "..")
        throw cli::SetupError("--secrets-out " + path + " is inside the evidence source directory " + dir.string());
    }
    secrets_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (secrets_fd < 0) throw cli::SetupError("cannot create --secrets-out " + path + ": " + std::strerror(errno));
    ::fchmod(secrets_fd, 0600);  // an existing file keeps its mode otherwise
    secrets_out = std::make_unique<record::FdOutput>(secrets_fd);
    secrets_writer = std::make_unique<record::JsonlWriter>(*secrets_out);
  }

  void secret(const record::Record& hit, const std::string& secret, const std::string& format) {
    if (!secrets_writer) return;
    record::Record r = hit;
    r.set("type", "secret");
    r.set("secret", secret);
    if (!format.empty()) r.set("crack_format", format);
    std::lock_guard lock(secrets_mutex);
    secrets_writer->write(r);
    secrets_writer->flush();
  }

  void count(const record::Record& hit) {
    if (!summary) return;
    add_count(hit.get_string("kind").value_or(""), hit.get_string("value").value_or(""),
              {hit.get_string("source").value_or(""), hit.get_string("path").value_or(""),
               hit.get_uint("offset").value_or(0)},
              1);
  }

  /// Adds `n` sightings of (kind, value) to the histogram; the first one seen anywhere is kept.
  void add_count(std::string kind, std::string value, std::tuple<std::string, std::string, std::uint64_t> first,
                 std::uint64_t n) {
    std::lock_guard lock(summary_mutex);
    Count& c = histogram[{std::move(kind), std::move(value)}];
    if (c.count == 0 || first < c.first) c.first = std::move(first);
    c.count += n;
  }

  void write_summary(record::RecordSink& out) {
    std::vector<std::pair<std::pair<std::string, std::string>, Count>> rows(histogram.begin(), histogram.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.count > b.second.count; });
    for (const auto& [key, c] : rows)
      if (out.write(count_record("summary", key, c)) == record::SinkStatus::stop) return;
  }

  /// One histogram row: a `summary` record, or a unit's `count_state`.
  static record::Record count_record(const char* type, const std::pair<std::string, std::string>& key, const Count& c) {
    record::Record r(type, "wallet-scan");
    r.set("kind", key.first);
    r.set("value", key.second);
    r.set("count", c.count);
    r.set("first_source", std::get<0>(c.first));
    r.set("first_path", std::get<1>(c.first));
    r.set("first_offset", std::get<2>(c.first));
    return r;
  }
};

/// A hit on its way out, with the key material it holds (a BIP39 phrase in full) for linking.
struct Pending {
  record::Record record;
  std::string key_material;
};

constexpr std::size_t kMaxPending = 100000;  // hits held per item before they are written unlinked

/// Reads each item in pages with the largest margin any finder needs and
/// writes one `hit` record per validated artifact or wallet structure.
class WalletConsumer final : public io::ItemConsumer {
 public:
  explicit WalletConsumer(std::shared_ptr<RunState> state) : state_(std::move(state)) {}

  void consume(const io::ItemInfo& info, io::ByteStream* data, record::RecordSink& out) override {
    if (data == nullptr) return;
    const record::Record item = io::item_record("wallet-scan", info);
    auto status = scan_item(*data, info, item, out);
    if (!status) out.write(io::error_record("wallet-scan", info.source, info.path, status.error(), info.offset));
  }

 private:
  Status scan_item(io::ByteStream& data, const io::ItemInfo& info, const record::Record& item,
                   record::RecordSink& out) {
    const std::size_t margin = wallet_margin();
    // A work unit owns hits starting in its window; what starts before it is dropped.
    io::ChunkWindow window;
    std::uint64_t own_from = 0;
    if (info.window) {
      own_from = info.window->start;
      window = io::unit_read_window(info.window->start, info.window->end, margin);
    }
    io::ChunkerOptions chunking{kPageSize, page_margin()};
    chunking.look_behind = scan::wallet_scan_look_behind();  // the page scanner reads it in place
    io::Chunker chunker(data, chunking, window);
    scan::WalletScanOptions options;
    options.reveal_secrets = true;  // redacted here, after the stop list saw the value
    scan::WalletPageScanner scanner(options);
    std::vector<Pending> pending;  // the item's hits, held back to link keys and addresses
    std::vector<scan::WalletFileHit> ahead;  // wallet files found early, for the pages they start in
    auto flush = [&] {
      link(pending);
      bool go_on = true;
      for (const auto& p : pending)
        if (go_on && out.write(p.record) == record::SinkStatus::stop) go_on = false;
      pending.clear();
      return go_on;
    };
    for (;;) {
      auto more = chunker.next();
      if (!more) {
        flush();
        return more.error();
      }
      if (!*more) {
        flush();
        return ok_status();
      }
      const io::Chunk& chunk = chunker.chunk();
      std::vector<Pending> records;
      std::vector<scan::SeedHit> seeds;
      for (const scan::WalletHit& hit : scanner.scan(chunk.behind(), chunk.data(), chunk.page().size(), chunk.offset(), &seeds)) {
        const std::uint64_t at = hit.offset;
        if (at < own_from) continue;
        record::Record r = base(item, info, hit.kind, at, hit.length);
        r.set("validated", true);
        r.set("confidence", hit.confidence);
        if (!hit.language.empty()) r.set("language", hit.language);
        if (hit.words != 0) r.set("words", static_cast<std::uint64_t>(hit.words));
        if (!hit.encoding.empty()) r.set("encoding", hit.encoding);
        if (!hit.text.empty()) r.set("text", hit.text);
        const bool secret = hit.secret || secret_kind(hit.kind);
        if (secret) r.set("secret", true);
        finish(r, hit.value, secret ? hit.value : std::string(), "");
        const bool key = (hit.kind == "bip39.phrase" && hit.language == "english") ||
                         hit.kind.find("wif") != std::string::npos || hit.kind.find("prv") != std::string::npos;
        records.push_back({std::move(r), key ? hit.value : ""});
      }
      for (const scan::SeedHit& hit : seeds) {
        if (hit.offset < own_from) continue;
        record::Record r = base(item, info, hit.kind, hit.offset, hit.length);
        r.set("validated", true);
        r.set("confidence", "checksum");
        r.set("words", static_cast<std::uint64_t>(hit.words));
        if (!hit.seed_type.empty()) r.set("seed_type", hit.seed_type);
        if (!hit.language.empty()) r.set("language", hit.language);
        if (!hit.encoding.empty()) r.set("encoding", hit.encoding);
        finish(r, hit.phrase, hit.phrase, "");
        records.push_back({std::move(r), ""});
      }
      auto file_hits = find_files(chunker, window, ahead);
      if (!file_hits) {
        flush();
        return file_hits.error();
      }
      for (const scan::WalletFileHit& hit : *file_hits) {
        if (chunk.offset() + hit.offset < own_from) continue;
        record::Record r = base(item, info, hit.kind, chunk.offset() + hit.offset, hit.length);
        r.set("validated", true);
        r.set("confidence", "structure");
        if (hit.partial) r.set("partial", true);
        for (const auto& [key, value] : hit.details) r.set(field_name(key), value);
        std::string value = hit.detail("address");
        if (value.empty()) value = hit.detail("format");
        r.set("value", value);
        if (!hit.crackable.empty()) {
          r.set("crack_format", hit.crack_format);
          r.set("crackable", state_->reveal ? hit.crackable : std::string("redacted"));
          state_->secret(r, hit.crackable, hit.crack_format);
        }
        state_->count(r);
        records.push_back({std::move(r), ""});
      }
      std::stable_sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
        return a.record.get_uint("item_offset").value_or(0) < b.record.get_uint("item_offset").value_or(0);
      });
      for (auto& r : records) {
        // A hit in a file inside an image: where its first byte lies in the raw image.
        if (info.kind != io::ItemKind::range)
          if (const auto at = data.image_offset(r.record.get_uint("item_offset").value_or(0)))
            r.record.set("image_offset", *at);
        pending.push_back(std::move(r));
      }
      if (pending.size() >= kMaxPending && !flush()) return ok_status();
    }
  }

  /// Wallet files starting in the chunk's page, at offsets from the page start. Each page is searched in a
  /// window of page + wallet_file_margin() (cut where the unit's reads end), as if the chunker's margin were
  /// that long, but only where wallet_files_possible() finds a sign of one in page + page_margin(). The item's
  /// first kFilePage bytes are searched as one page by its first chunk; the hits past that chunk's page wait
  /// in `ahead` (offsets from the item start) for the chunk they start in, so records keep their order.
  static Result<std::vector<scan::WalletFileHit>> find_files(io::Chunker& chunker, const io::ChunkWindow& window,
                                                             std::vector<scan::WalletFileHit>& ahead) {
    const io::Chunk& chunk = chunker.chunk();
    const std::uint64_t offset = chunk.offset();
    std::vector<scan::WalletFileHit> hits;
    if (window.start == 0 && offset > 0 && offset < kFilePage) {  // searched by the first chunk
      const std::uint64_t page_end = offset + chunk.page().size();
      auto it = ahead.begin();
      for (; it != ahead.end() && it->offset < page_end; ++it) {
        hits.push_back(std::move(*it));
        hits.back().offset -= static_cast<std::size_t>(offset);
      }
      ahead.erase(ahead.begin(), it);
      return hits;
    }
    std::uint64_t page = chunk.page().size();
    if (offset == 0) page = window.stop ? std::min<std::uint64_t>(kFilePage, *window.stop) : kFilePage;
    scan::WalletFileWindow files;
    files.data = chunk.data();
    files.page_end = static_cast<std::size_t>(page);
    files.item_start = offset == 0;
    if (!scan::wallet_files_possible(files)) return hits;
    // The window a chunker with the wallet-file margin would show: page + margin, cut at stop + margin.
    const std::uint64_t margin = scan::wallet_file_margin();
    std::uint64_t end = offset + std::max<std::uint64_t>(page, kPageSize) + margin;
    if (window.stop) end = std::min(end, *window.stop + margin);
    if (auto status = chunker.extend_to(end); !status) return status.error();
    files.data = chunk.data();
    hits = scan::find_wallet_files(files);  // ordered by offset
    if (offset == 0) {
      const auto later = std::find_if(hits.begin(), hits.end(),
                                      [&](const scan::WalletFileHit& h) { return h.offset >= chunk.page().size(); });
      ahead.assign(std::make_move_iterator(later), std::make_move_iterator(hits.end()));
      hits.erase(later, hits.end());
    }
    return hits;
  }

  /// The addresses a key hit controls: a BIP39 phrase or an xprv (the first
  /// state_->derive receive addresses of each standard path), a WIF key (its own addresses).
  std::vector<scan::DerivedAddress> derived_addresses(const std::string& kind, const std::string& material) const {
    if (kind.find("wif") != std::string::npos) {
      auto payload = scan::base58check_decode(material);
      if (!payload || (payload->size() != 33 && payload->size() != 34)) return {};
      scan::PrivateKey key{};
      std::copy(payload->begin() + 1, payload->begin() + 33, key.begin());
      return scan::addresses_of_key(key);
    }
    std::optional<scan::ExtendedPrivateKey> master;
    if (kind.find("prv") != std::string::npos) master = scan::parse_xprv(material);
    else master = scan::bip32_master(scan::bip39_seed(ValueList::normalise(material)));
    if (!master) return {};
    if (master->depth != 0) return scan::account_addresses(*master, state_->derive);
    return scan::standard_addresses(*master, state_->derive);
  }

  /// Remembers, for the run's link records, the addresses each key or seed of
  /// these hits controls (the first state_->derive receive addresses of each
  /// standard path) and every address hit.
  void link(const std::vector<Pending>& pending) const {
    if (state_->derive == 0) return;
    for (const auto& p : pending) {
      if (p.key_material.empty()) continue;
      for (const auto& a : derived_addresses(p.record.get_string("kind").value_or(""), p.key_material))
        state_->remember_controlled(ValueList::normalise(a.address), p.record, a.path);
    }
    for (const auto& p : pending) {
      if (!p.key_material.empty() || p.record.has("secret")) continue;
      const std::string kind = p.record.get_string("kind").value_or("");
      if (kind.rfind("wallet.", 0) == 0 || kind.find("uri") != std::string::npos) continue;
      const std::string value = ValueList::normalise(p.record.get_string("value").value_or(""));
      if (!value.empty()) state_->remember_address(value, p.record);
    }
  }

  /// Detail names that would collide with the common record fields get a prefix.
  static std::string field_name(const std::string& key) {
    static const char* kTaken[] = {"type", "tool", "source", "path", "offset", "length", "kind", "value", "format",
                                   "version", "item_offset", "range_offset", "error", "detail", "container"};
    for (const char* t : kTaken)
      if (key == t) return "wallet_" + key;
    return key;
  }

  static record::Record base(const record::Record& item, const io::ItemInfo& info, const std::string& kind,
                             std::uint64_t item_offset, std::size_t length) {
    record::Record r = item;
    r.set("type", "hit");
    r.set("kind", kind);
    r.set("item_offset", item_offset);
    if (info.kind == io::ItemKind::range) {
      // Ranges are addressed by absolute offsets in the image.
      r.set("range_offset", info.offset.value_or(0));
      r.set("offset", info.offset.value_or(0) + item_offset);
    } else {
      r.set("offset", item_offset);
    }
    r.set("length", static_cast<std::uint64_t>(length));
    return r;
  }

  /// Sets the value (redacted when secret), stop/watch marks, the secrets file and the histogram.
  void finish(record::Record& r, const std::string& value, const std::string& secret, const std::string& format) {
    if (state_->builtin_stop.contains(value)) r.set("stop_list", "builtin");
    else if (state_->user_stop.contains(value)) r.set("stop_list", "user");
    if (state_->watch.contains(value)) r.set("watch", true);
    r.set("value", secret.empty() || state_->reveal ? value : redact(value));
    if (!secret.empty()) state_->secret(r, secret, format);
    state_->count(r);
  }

  std::shared_ptr<RunState> state_;
};

}  // namespace

cli::ToolSpec wallet_scan_spec() {
  auto state = std::make_shared<RunState>();
  cli::ToolSpec spec;
  spec.name = "wallet-scan";
  spec.synopsis =
      "Find validated cryptocurrency addresses, seed phrases and wallet files in every file, archive member and\n"
      "byte range of the evidence.";
  spec.add_options = [](cli::po::options_description& o) {
    o.add_options()("reveal-secrets", "write seed phrases and crackable wallet lines in full")(
        "stop-list", cli::po::value<std::vector<std::string>>()->composing(),
        "FILE of values (one a line) to mark stop_list: \"user\"; public examples are marked \"builtin\"")(
        "watch-list", cli::po::value<std::vector<std::string>>()->composing(),
        "FILE of values (one a line) whose hits get watch: true")(
        "secrets-out", cli::po::value<std::string>(),
        "write full secrets as JSON Lines to FILE (mode 0600, never inside a source directory)")(
        "summary", "after all hits, one summary record per (kind, value) with count and first offset, by count")(
        "chunk", cli::po::value<unsigned>()->default_value(100),
        "rows per group in --format csv-chain (chain-analysis bulk uploads take 100)")(
        "derive", cli::po::value<unsigned>()->default_value(5),
        "mark addresses controlled by a key or seed found in the same item, and link (`link` records at the "
        "end) those found in other items: the first N receive addresses of BIP44/49/84/86 and m/44'/60'/0'/0 "
        "(0: off)");
  };
  spec.primary_types = {"hit"};
  spec.tsv_columns = [](const cli::po::variables_map&) {
    // link rows: the hit's address and value, then the key that controls it.
    return std::vector<std::string>{"type",  "source",     "path",  "offset", "length",   "kind",
                                    "value", "confidence", "error", "detail", "key_kind", "key_path",
                                    "key_offset", "derivation_path"};
  };
  spec.tsv_row_types = {"link"};
  spec.extra_formats = {"csv-chain"};
  spec.make_writer = [](const std::string&, record::FdOutput& out, const cli::po::variables_map& vm,
                        const std::string&) -> std::unique_ptr<record::RecordSink> {
    return std::make_unique<ChainCsvWriter>(out, std::max(1u, vm["chunk"].as<unsigned>()));
  };
  spec.make_consumer = [state](const cli::po::variables_map& vm) -> std::unique_ptr<io::ItemConsumer> {
    state->reveal = vm.count("reveal-secrets") > 0;
    state->summary = vm.count("summary") > 0;
    state->derive = std::min(vm["derive"].as<unsigned>(), 1000u);
    if (vm.count("stop-list"))
      for (const auto& f : vm["stop-list"].as<std::vector<std::string>>())
        state->user_stop.add_file(f);
    if (vm.count("watch-list"))
      for (const auto& f : vm["watch-list"].as<std::vector<std::string>>())
        state->watch.add_file(f);
    if (vm.count("secrets-out")) {
      std::vector<std::string> sources;
      if (vm.count("source")) sources = vm["source"].as<std::vector<std::string>>();
      state->open_secrets(vm["secrets-out"].as<std::string>(), sources);
    }
    return std::make_unique<WalletConsumer>(state);
  };
  spec.unit_margin = [](const cli::po::variables_map&) -> std::uint64_t { return wallet_margin(); };
  // Units of small /usr files (text, .gz members) took 68-106 us per file besides
  // their bytes (scaleout bench, 4 GiB ext4: 2.6-3.0 CPU-s for 0.5-0.85 GB against
  // 0.95 s for 1.27 GB of large files), about 96 KiB of a large file's scanning.
  spec.plan_item_cost = std::uint64_t{96} << 10;
  // A memory dump or a disk image given as a file is scanned by every worker, in windows, like --raw.
  spec.split_files = [](const cli::po::variables_map&) { return true; };
  // The secrets file would be written by every unit.
  spec.unit_refused = {"secrets-out"};
  spec.run_types = {"link"};
  spec.save_run_state = [state](record::RecordSink& out) {
    state->save_links(out);
    if (state->summary) state->save_counts(out);
  };
  spec.load_run_state = [state](const record::Record& r) { state->load_link(r); };
  spec.finish = [state](record::RecordSink& out) {
    state->write_links(out);
    if (state->summary) state->write_summary(out);
  };
  return spec;
}

int wallet_scan_main(int argc, char** argv) { return cli::run_tool(wallet_scan_spec(), argc, argv); }

}  // namespace trawl::tools

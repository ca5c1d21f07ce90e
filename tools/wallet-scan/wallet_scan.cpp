#include "wallet-scan/wallet_scan.hpp"

#include "io/item_record.hpp"
#include "scan/wallet_scanner.hpp"

namespace trawl::tools {
namespace {

constexpr std::size_t kPageSize = std::size_t{1} << 20;

/// Reads each item in pages with the scanner's margin and writes one `hit`
/// record per validated artifact.
class WalletConsumer final : public io::ItemConsumer {
 public:
  explicit WalletConsumer(scan::WalletScanOptions options) : options_(options) {}

  void consume(const io::ItemInfo& info, io::ByteStream* data, record::RecordSink& out) override {
    if (data == nullptr) return;
    const record::Record item = io::item_record("wallet-scan", info);
    auto status = scan::scan_wallet_stream(*data, kPageSize, options_, [&](const scan::WalletHit& hit) {
      return out.write(hit_record(item, info, hit, hit.offset)) == record::SinkStatus::proceed;
    });
    if (!status) out.write(io::error_record("wallet-scan", info.source, info.path, status.error(), info.offset));
  }

 private:
  static record::Record hit_record(const record::Record& item, const io::ItemInfo& info, const scan::WalletHit& hit,
                                   uint64_t item_offset) {
    record::Record r = item;
    r.set("type", "hit");
    r.set("kind", hit.kind);
    r.set("value", hit.value);
    r.set("validated", true);
    r.set("confidence", hit.confidence);
    if (!hit.language.empty()) r.set("language", hit.language);
    if (hit.words != 0) r.set("words", static_cast<uint64_t>(hit.words));
    if (hit.secret) r.set("secret", true);
    if (!hit.encoding.empty()) r.set("encoding", hit.encoding);
    if (!hit.text.empty()) r.set("text", hit.text);
    r.set("item_offset", item_offset);
    if (info.kind == io::ItemKind::range) {
      // Ranges are addressed by absolute offsets in the image.
      r.set("range_offset", info.offset.value_or(0));
      r.set("offset", info.offset.value_or(0) + item_offset);
    } else {
      r.set("offset", item_offset);
    }
    r.set("length", static_cast<uint64_t>(hit.length));
    return r;
  }

  scan::WalletScanOptions options_;
};

}  // namespace

cli::ToolSpec wallet_scan_spec() {
  cli::ToolSpec spec;
  spec.name = "wallet-scan";
  spec.synopsis =
      "Find validated cryptocurrency addresses and seed phrases in every file, archive member and byte range of\n"
      "the evidence.";
  spec.add_options = [](cli::po::options_description& o) {
    o.add_options()("reveal-secrets", "write seed phrases in full instead of \"first … last (N words)\"");
  };
  spec.primary_types = {"hit"};
  spec.tsv_columns = [](const cli::po::variables_map&) {
    return std::vector<std::string>{"type", "source", "path", "offset", "length", "kind",
                                    "value", "confidence", "error", "detail"};
  };
  spec.make_consumer = [](const cli::po::variables_map& vm) -> std::unique_ptr<io::ItemConsumer> {
    scan::WalletScanOptions options;
    options.reveal_secrets = vm.count("reveal-secrets") > 0;
    return std::make_unique<WalletConsumer>(options);
  };
  return spec;
}

int wallet_scan_main(int argc, char** argv) { return cli::run_tool(wallet_scan_spec(), argc, argv); }

}  // namespace trawl::tools

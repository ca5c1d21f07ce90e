#include "meta-extract/meta_extract_tool.hpp"

#include <sstream>

#include "formats/meta_extract.hpp"
#include "io/item_record.hpp"
#include "meta-extract/geo_writers.hpp"
#include "meta-extract/meta_record.hpp"

namespace trawl::tools {
namespace {

constexpr std::size_t kHeadBytes = 4096;

struct MetaOptions {
  FieldFilter filter;
  std::vector<std::string> has;
  uint64_t max_item_bytes = 512ull << 20;
  formats::MetaLimits limits;
};

/// Reads an item whose format carries metadata, then extracts it and writes
/// one `meta` record. Items of other formats are read no further than their
/// first 4 KiB.
class MetaConsumer final : public io::ItemConsumer {
 public:
  explicit MetaConsumer(MetaOptions options) : options_(std::move(options)) {}

  void consume(const io::ItemInfo& info, io::ByteStream* data, record::RecordSink& out) override {
    if (data == nullptr) return;
    std::vector<uint8_t> bytes(kHeadBytes);
    auto head = io::read_full(*data, std::as_writable_bytes(std::span(bytes)));
    if (!head) return report(info, head.error(), out);
    bytes.resize(*head);
    if (formats::detect_meta_format(bytes) == formats::MetaFormat::unknown) return;
    bool cut = false;
    if (auto status = read_rest(*data, bytes, cut); !status) return report(info, status.error(), out);
    formats::MetaDocument doc = formats::extract_metadata(bytes, options_.limits);
    if (cut)
      doc.warnings.push_back("only the first " + std::to_string(options_.max_item_bytes) +
                             " bytes were read (--max-item-size)");
    // A zip that is not an Office document, or a file with nothing in it:
    // no record (a malformed JPEG with warnings still gets one).
    if (doc.fields.empty() && (doc.format == formats::MetaFormat::ooxml || doc.warnings.empty())) return;
    for (const auto& property : options_.has)
      if (!has_property(doc, property)) return;
    const io::ByteStream& stream = *data;
    out.write(meta_record(info, doc, options_.filter, [&stream](uint64_t offset) { return stream.image_offset(offset); }));
  }

 private:
  Status read_rest(io::ByteStream& data, std::vector<uint8_t>& bytes, bool& cut) const {
    // Read exactly the known size (most items); unknown sizes grow by doubling,
    // so a 20 KB photo never costs a zero-filled megabyte.
    const std::optional<uint64_t> known = data.size();
    std::size_t step = 64 * 1024;
    while (true) {
      if (bytes.size() >= options_.max_item_bytes) {
        std::byte probe[1];
        auto more = data.read(probe);
        cut = more && *more > 0;
        return ok_status();
      }
      const std::size_t old = bytes.size();
      uint64_t want = known && *known > old ? *known - old : step;
      want = std::min<uint64_t>(want, options_.max_item_bytes - old);
      bytes.resize(old + static_cast<std::size_t>(want));
      auto got = io::read_full(data, std::as_writable_bytes(std::span(bytes).subspan(old)));
      if (!got) return got.error();
      bytes.resize(old + *got);
      if (*got < want) return ok_status();
      if (known && bytes.size() >= *known) {
        // The stream said how long it is; one probe tells whether it lied.
        if (bytes.size() >= options_.max_item_bytes) continue;
        step = 64 * 1024;
        std::byte probe[1];
        auto more = data.read(probe);
        if (!more) return more.error();
        if (*more == 0) return ok_status();
        bytes.push_back(static_cast<uint8_t>(probe[0]));
        continue;
      }
      step = std::min<std::size_t>(step * 2, 16u << 20);
    }
  }

  static void report(const io::ItemInfo& info, const Error& error, record::RecordSink& out) {
    out.write(io::error_record("meta-extract", info.source, info.path, error, info.offset));
  }

  MetaOptions options_;
};

std::vector<std::string> split_list(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& value : values) {
    std::stringstream in(value);
    std::string item;
    while (std::getline(in, item, ','))
      if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

cli::ToolSpec meta_extract_spec() {
  cli::ToolSpec spec;
  spec.name = "meta-extract";
  spec.synopsis =
      "Extract forensic metadata (EXIF/GPS/serials, XMP, IPTC, PDF revisions, Office, video) from every file,\n"
      "archive member and file in an image, with the provenance of every value.";
  spec.add_options = [](cli::po::options_description& o) {
    o.add_options()
        ("fields", cli::po::value<std::vector<std::string>>()->composing(),
         "keep only these fields: comma-separated Group:Tag, Group:*, *:Tag or Tag")
        ("has", cli::po::value<std::vector<std::string>>()->composing(),
         "only items having all of: gps, author, serial, software, camera, time, thumbnail, edited")
        ("geojson", cli::po::value<std::string>(), "also write every positioned item to this GeoJSON file")
        ("kml", cli::po::value<std::string>(), "also write every positioned item to this KML file")
        ("max-item-size", cli::po::value<std::string>()->default_value("512M"),
         "read at most this many bytes of one item");
  };
  spec.primary_types = {"meta"};
  spec.extra_formats = {"bodyfile"};
  spec.make_writer = [](const std::string&, record::FdOutput& out, const cli::po::variables_map&,
                        const std::string&) { return make_bodyfile_writer(out); };
  spec.wrap_writer = [](std::unique_ptr<record::RecordSink> writer,
                        const cli::po::variables_map& vm) -> std::unique_ptr<record::RecordSink> {
    const std::string geojson = vm.count("geojson") ? vm["geojson"].as<std::string>() : "";
    const std::string kml = vm.count("kml") ? vm["kml"].as<std::string>() : "";
    if (geojson.empty() && kml.empty()) return writer;
    return make_geo_tee(std::move(writer), geojson, kml);
  };
  spec.tsv_columns = [](const cli::po::variables_map& vm) {
    std::vector<std::string> columns = {"type", "source", "path", "format"};
    std::vector<std::string> wanted =
        vm.count("fields") ? split_list(vm["fields"].as<std::vector<std::string>>())
                           : std::vector<std::string>{"IFD0:Make", "IFD0:Model", "ExifIFD:SerialNumber",
                                                      "ExifIFD:DateTimeOriginal", "Composite:GPSLatitude",
                                                      "Composite:GPSLongitude", "IFD0:Software", "XMP-dc:Creator",
                                                      "PDF:Author", "PDF:Producer", "XML:LastModifiedBy"};
    for (const auto& w : wanted)
      if (w.find('*') == std::string::npos) columns.push_back(w);
    columns.push_back("error");
    columns.push_back("detail");
    return columns;
  };
  // The map files collect every positioned item of the run at once.
  spec.unit_refused = {"geojson", "kml"};
  spec.unit_formats = {"bodyfile"};
  spec.make_consumer = [](const cli::po::variables_map& vm) -> std::unique_ptr<io::ItemConsumer> {
    MetaOptions options;
    if (vm.count("fields")) options.filter.patterns = split_list(vm["fields"].as<std::vector<std::string>>());
    if (vm.count("has")) options.has = split_list(vm["has"].as<std::vector<std::string>>());
    for (const auto& property : options.has) {
      const auto& known = known_properties();
      if (std::find(known.begin(), known.end(), property) == known.end())
        throw cli::po::error("--has: unknown property '" + property + "'");
    }
    const auto size = cli::parse_size(vm["max-item-size"].as<std::string>());
    if (!size || *size < kHeadBytes) throw cli::po::error("--max-item-size: expected a size of at least 4K");
    options.max_item_bytes = *size;
    return std::make_unique<MetaConsumer>(std::move(options));
  };
  return spec;
}

int meta_extract_main(int argc, char** argv) { return cli::run_tool(meta_extract_spec(), argc, argv); }

}  // namespace trawl::tools

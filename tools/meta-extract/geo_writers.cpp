#include "meta-extract/geo_writers.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <vector>

#include "common/file_output.hpp"
#include "record/jsonl_writer.hpp"

namespace trawl::tools {
namespace {

std::optional<double> number(const record::Record& r, std::string_view key) {
  const record::Value* v = r.get(key);
  if (v == nullptr) return std::nullopt;
  if (const auto* d = std::get_if<double>(v)) return *d;
  if (const auto* i = std::get_if<int64_t>(v)) return static_cast<double>(*i);
  return std::nullopt;
}

std::string first_text(const record::Record& r, std::initializer_list<std::string_view> keys) {
  for (auto key : keys)
    if (auto s = r.get_string(key)) return *s;
  return {};
}

struct Placemark {
  double lat = 0, lon = 0;
  std::optional<double> alt;
  std::string path, source, time, camera, serial;
};

std::optional<Placemark> placemark_of(const record::Record& r) {
  if (r.type() != "meta") return std::nullopt;
  auto lat = number(r, "Composite:GPSLatitude");
  auto lon = number(r, "Composite:GPSLongitude");
  if (!lat || !lon) {
    lat = number(r, "XMP-exif:GPSLatitude");
    lon = number(r, "XMP-exif:GPSLongitude");
  }
  if (!lat || !lon || std::fabs(*lat) > 90 || std::fabs(*lon) > 180) return std::nullopt;
  Placemark p;
  p.lat = *lat;
  p.lon = *lon;
  p.alt = number(r, "Composite:GPSAltitude");
  p.path = r.get_string("path").value_or("");
  p.source = r.get_string("source").value_or("");
  p.time = first_text(r, {"ExifIFD:DateTimeOriginal", "Composite:GPSDateTime", "Keys:CreationDate",
                          "QuickTime:CreateDate", "XMP-exif:DateTimeOriginal", "XMP-xmp:CreateDate"});
  const std::string make = first_text(r, {"IFD0:Make", "Keys:Make", "XMP-tiff:Make", "UserData:Make"});
  const std::string model = first_text(r, {"IFD0:Model", "Keys:Model", "XMP-tiff:Model", "UserData:Model"});
  p.camera = make.empty() ? model : model.empty() ? make : make + " " + model;
  p.serial = first_text(r, {"ExifIFD:SerialNumber", "IFD0:CameraSerialNumber", "XMP-aux:SerialNumber",
                            "MakerNotes:SerialNumber"});
  return p;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string coordinate(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.7f", v);
  return buffer;
}

bool write_file(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const bool written = cli::write_all(fd, std::as_bytes(std::span(text.data(), text.size())));
  return ::close(fd) == 0 && written;
}

std::string geojson_of(const std::vector<Placemark>& marks) {
  std::string out = "{\"type\":\"FeatureCollection\",\"features\":[";
  for (std::size_t i = 0; i < marks.size(); ++i) {
    const Placemark& p = marks[i];
    if (i != 0) out += ",";
    out += "\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[" + coordinate(p.lon) + "," +
           coordinate(p.lat) + (p.alt ? "," + coordinate(*p.alt) : "") + "]},\"properties\":{";
    bool first = true;
    auto prop = [&](const char* key, const std::string& value) {
      if (value.empty()) return;
      if (!first) out += ",";
      first = false;
      record::append_json_string(out, key);
      out += ":";
      record::append_json_string(out, value);
    };
    prop("path", p.path);
    prop("source", p.source);
    prop("time", p.time);
    prop("camera", p.camera);
    prop("serial", p.serial);
    out += "}}";
  }
  return out + "\n]}\n";
}

std::string kml_of(const std::vector<Placemark>& marks) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n"
      "<name>meta-extract positions</name>\n";
  for (const Placemark& p : marks) {
    out += "<Placemark><name>" + xml_escape(p.path) + "</name><description>" +
           xml_escape("time: " + p.time + "\ncamera: " + p.camera + "\nserial: " + p.serial + "\nsource: " + p.source) +
           "</description>";
    if (!p.time.empty() && p.time.size() >= 19) out += "<TimeStamp><when>" + xml_escape(p.time) + "</when></TimeStamp>";
    out += "<Point><coordinates>" + coordinate(p.lon) + "," + coordinate(p.lat) + (p.alt ? "," + coordinate(*p.alt) : "") +
           "</coordinates></Point></Placemark>\n";
  }
  return out + "</Document>\n</kml>\n";
}

class GeoTee final : public record::RecordSink {
 public:
  GeoTee(std::unique_ptr<record::RecordSink> inner, std::string geojson, std::string kml)
      : inner_(std::move(inner)), geojson_(std::move(geojson)), kml_(std::move(kml)) {}
  ~GeoTee() override {
    if (!geojson_.empty() && !write_file(geojson_, geojson_of(marks_)))
      std::cerr << "meta-extract: " << geojson_ << ": error: cannot write the GeoJSON file\n";
    if (!kml_.empty() && !write_file(kml_, kml_of(marks_)))
      std::cerr << "meta-extract: " << kml_ << ": error: cannot write the KML file\n";
  }
  record::SinkStatus write(const record::Record& r) override {
    if (auto mark = placemark_of(r)) marks_.push_back(std::move(*mark));
    return inner_->write(r);
  }
  void flush() override { inner_->flush(); }

 private:
  std::unique_ptr<record::RecordSink> inner_;
  std::string geojson_, kml_;
  std::vector<Placemark> marks_;
};

/// Seconds since 1970 from "YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]"; a time
/// without a zone is read as UTC (`zone_known` false says so).
std::optional<int64_t> epoch_of(const std::string& text, bool& zone_known) {
  int y, mo, d, h, mi, s;
  if (text.size() < 19 || std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  int64_t t = ::timegm(&tm);
  std::size_t pos = 19;
  while (pos < text.size() && (text[pos] == '.' || (text[pos] >= '0' && text[pos] <= '9'))) ++pos;
  zone_known = false;
  if (pos < text.size() && text[pos] == 'Z') {
    zone_known = true;
  } else if (pos + 6 <= text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d", &oh, &om) == 2) {
      zone_known = true;
      const int64_t offset = oh * 3600 + om * 60;
      t += text[pos] == '+' ? -offset : offset;
    }
  }
  return t;
}

std::string body_name(std::string text) {
  for (char& c : text)
    if (c == '|' || c == '\n' || c == '\r') c = '_';  // the body file's separators
  return text;
}

class BodyfileWriter final : public record::RecordSink {
 public:
  explicit BodyfileWriter(record::FdOutput& out) : out_(out) {}
  record::SinkStatus write(const record::Record& r) override {
    if (r.type() != "meta") return record::SinkStatus::proceed;
    const std::string name = body_name(r.get_string("path").value_or(""));
    const std::string inode = r.get_string("inode").value_or("0");
    const uint64_t size = r.get_uint("size").value_or(0);
    auto fs_time = [&](const char* key) -> std::string {
      bool zone = false;
      if (auto t = r.get_string(key))
        if (auto e = epoch_of(*t, zone)) return std::to_string(*e);
      return "0";
    };
    std::string lines = "0|" + name + "|" + inode + "|0|0|0|" + std::to_string(size) + "|" + fs_time("atime") + "|" +
                        fs_time("mtime") + "|" + fs_time("ctime") + "|" + fs_time("crtime") + "\n";
    for (const auto& field : r.fields()) {
      if (field.key.find(':') == std::string::npos) continue;
      const auto* text = std::get_if<std::string>(&field.value);
      if (text == nullptr) continue;
      bool zone = false;
      const auto epoch = epoch_of(*text, zone);
      if (!epoch) continue;
      lines += "0|" + name + " [" + body_name(field.key) + (zone ? "" : ", zone unknown") + "]|" + inode +
               "|0|0|0|" + std::to_string(size) + "|0|" + std::to_string(*epoch) + "|0|0\n";
    }
    return out_.write(lines) ? record::SinkStatus::proceed : record::SinkStatus::stop;
  }
  void flush() override { out_.flush(); }

 private:
  record::FdOutput& out_;
};

}  // namespace

std::unique_ptr<record::RecordSink> make_geo_tee(std::unique_ptr<record::RecordSink> inner, std::string geojson_path,
                                                 std::string kml_path) {
  return std::make_unique<GeoTee>(std::move(inner), std::move(geojson_path), std::move(kml_path));
}

std::unique_ptr<record::RecordSink> make_bodyfile_writer(record::FdOutput& out) {
  return std::make_unique<BodyfileWriter>(out);
}

}  // namespace trawl::tools

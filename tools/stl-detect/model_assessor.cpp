#include "stl-detect/model_assessor.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <fstream>

#include "common/file_output.hpp"
#include "mesh/cues.hpp"
#include "mesh/preview.hpp"
#include "record/jsonl_writer.hpp"
#include "core/utf8.hpp"

namespace trawl::tools {
namespace {

bool is_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// Description keys whose text names the object (name cues); every other
/// text field is metadata (metadata cues).
bool is_name_key(const std::string& key) {
  return key == "mesh_object" || key == "solid_name" || key == "stl_header" || key.find("name") != std::string::npos ||
         key.find("object") != std::string::npos || key.find("title") != std::string::npos ||
         key.find("Title") != std::string::npos;
}

std::string json_text(const std::string& text) {
  std::string out;
  record::append_json_string(out, is_valid_utf8(text) ? text : utf8_lossy(text));
  return out;
}

}  // namespace

ModelAssessor::ModelAssessor(const std::vector<std::string>& reference_files, std::string preview_dir,
                             double threshold)
    : preview_dir_(std::move(preview_dir)), threshold_(threshold) {
  for (const std::string& file : reference_files) {
    std::ifstream in(file);
    if (!in) throw cli::SetupError("--reference: cannot read " + file);
    std::string line;
    unsigned number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const auto start = line.find_first_not_of(" \t");
      if (start == std::string::npos || line[start] == '#') continue;
      const auto end = line.find_first_of(" \t", start);
      const std::string hash = lower(line.substr(start, end == std::string::npos ? std::string::npos : end - start));
      if (!is_hex64(hash)) throw cli::SetupError("--reference: " + file + ":" + std::to_string(number) +
                                                 ": expected 64 hex digits, got '" + hash + "'");
      std::string label;
      if (end != std::string::npos) {
        const auto label_start = line.find_first_not_of(" \t", end);
        if (label_start != std::string::npos) label = line.substr(label_start);
      }
      references_.emplace(hash, label.empty() ? "reference " + file : label);
    }
  }
}

void ModelAssessor::assess(record::Record& r, const std::string& path, const ModelFields& fields,
                           const mesh::Mesh* mesh) const {
  mesh::CueInput input;
  std::string component;
  for (char c : path) {
    if (c == '/' || c == '!') {
      if (!component.empty()) input.names.push_back(component);
      component.clear();
    } else {
      component += c;
    }
  }
  if (!component.empty()) input.names.push_back(component);
  for (const auto& [key, value] : fields) {
    const auto* text = std::get_if<std::string>(&value);
    if (text == nullptr || text->empty()) continue;
    if (is_name_key(key)) input.names.push_back(*text);
    else input.metadata.emplace_back(key, *text);
  }
  input.mesh = mesh != nullptr && !mesh->triangles.empty() ? mesh : nullptr;

  mesh::CueConfig config;
  config.threshold = threshold_;
  for (const char* tier : {"sha256", "exact_hash", "pose_hash", "shape_hash"}) {
    const auto value = r.get_string(tier);
    if (!value) continue;
    const auto it = references_.find(lower(*value));
    if (it == references_.end()) continue;
    config.known_design = true;
    config.known_design_label = it->second;
    r.set("reference_match", tier);
    break;
  }
  const mesh::Verdict verdict = mesh::assess(input, config);
  r.set("verdict", verdict.verdict);
  r.set("score", verdict.score);
  if (!verdict.label.empty()) r.set("label", verdict.label);
  std::string cues = "[";
  for (std::size_t i = 0; i < verdict.cues.size(); ++i) {
    const mesh::Cue& cue = verdict.cues[i];
    if (i != 0) cues += ",";
    cues += "{\"id\":" + json_text(cue.id) + ",\"channel\":" + json_text(cue.channel) +
            ",\"weight\":" + std::to_string(cue.weight) + ",\"evidence\":" + json_text(cue.evidence) + "}";
  }
  r.set("cues", record::Value(record::RawJson{cues + "]"}));
  if (!preview_dir_.empty() && input.mesh != nullptr) write_preview(r, *input.mesh);
}

void ModelAssessor::write_preview(record::Record& r, const mesh::Mesh& mesh) const {
  const std::string name = r.get_string("sha256").value_or("model") + ".png";
  const std::string file = preview_dir_ + "/" + name;
  if (::access(file.c_str(), F_OK) == 0) {  // the same bytes seen again: one picture
    r.set("preview", file);
    return;
  }
  auto png = mesh::render_preview_png(mesh);
  if (!png) {
    r.set("preview_error", png.error().detail);
    return;
  }
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) r.set("preview", file);  // another worker wrote it first
    else r.set("preview_error", "cannot create " + file);
    return;
  }
  const bool written = cli::write_all(fd, std::as_bytes(std::span(png->data(), png->size())));
  ::close(fd);
  if (written) r.set("preview", file);
  else r.set("preview_error", "short write to " + file);
}

}  // namespace trawl::tools

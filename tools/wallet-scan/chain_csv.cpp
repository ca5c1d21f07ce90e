#include "wallet-scan/chain_csv.hpp"

#include <algorithm>

namespace trawl::tools {
namespace {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::pair<std::string, std::string> ChainCsvWriter::asset_of(const std::string& kind) {
  const auto dot = kind.find('.');
  if (dot == std::string::npos) return {};
  std::string family = kind.substr(0, dot);
  const std::string form = kind.substr(dot + 1);
  if (family == "wallet" || form == "phrase" || form == "seed" || form.find("wif") != std::string::npos ||
      form.find("xprv") != std::string::npos || form.find("xpub") != std::string::npos ||
      form.find("private") != std::string::npos || form.find("descriptor") != std::string::npos ||
      form.find("uri") != std::string::npos)
    return {};
  std::string network = "mainnet";
  if (const auto dash = family.find('-'); dash != std::string::npos) {
    network = family.substr(dash + 1);
    family = family.substr(0, dash);
  }
  for (char& c : family)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return {family, network};
}

record::SinkStatus ChainCsvWriter::write(const record::Record& record) {
  if (record.type() != "hit" || record.has("stop_list")) return record::SinkStatus::proceed;
  const std::string kind = record.get_string("kind").value_or("");
  auto [asset, network] = asset_of(kind);
  if (asset.empty()) return record::SinkStatus::proceed;
  const std::string address = record.get_string("value").value_or("");
  const std::string key = asset + "\n" + network + "\n" + address;
  auto [it, inserted] = rows_.try_emplace(key);
  Row& row = it->second;
  if (inserted) {
    row.address = address;
    row.asset = asset;
    row.network = network;
    row.first_offset = record.get_uint("offset").value_or(0);
    const std::string path = record.get_string("path").value_or("");
    row.source = path.empty() ? record.get_string("source").value_or("") : path;
    row.order = rows_.size();
  }
  ++row.count;
  return record::SinkStatus::proceed;
}

void ChainCsvWriter::flush() {
  if (!header_written_) {
    out_.write("group,address,asset,network,count,first_offset,source\n");
    header_written_ = true;
  }
  std::vector<const Row*> sorted;
  for (const auto& [key, row] : rows_) sorted.push_back(&row);
  std::sort(sorted.begin(), sorted.end(), [](const Row* a, const Row* b) {
    return a->count != b->count ? a->count > b->count : a->order < b->order;
  });
  std::size_t n = 0;
  for (const Row* row : sorted) {
    out_.write(std::to_string(n / chunk_ + 1) + "," + csv_field(row->address) + "," + row->asset + "," +
               row->network + "," + std::to_string(row->count) + "," + std::to_string(row->first_offset) + "," +
               csv_field(row->source) + "\n");
    out_.end_record();
    ++n;
  }
  rows_.clear();
  out_.flush();
}

}  // namespace trawl::tools

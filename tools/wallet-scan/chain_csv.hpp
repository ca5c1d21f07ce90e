#pragma once
// --format csv-chain: one row per distinct address for chain-analysis tools
// (bulk uploads take CSV of at most 100 addresses): group, address, asset,
// network, count, first_offset, source. Rows are written when the run ends,
// most frequent first; `group` numbers the blocks of --chunk rows.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "record/output.hpp"
#include "record/sink.hpp"

namespace trawl::tools {

class ChainCsvWriter final : public record::RecordSink {
 public:
  ChainCsvWriter(record::FdOutput& out, unsigned chunk) : out_(out), chunk_(chunk) {}
  record::SinkStatus write(const record::Record& record) override;
  void flush() override;

  /// "btc.p2wpkh" -> {"BTC", "mainnet"}; empty asset for kinds that are not addresses.
  static std::pair<std::string, std::string> asset_of(const std::string& kind);

 private:
  struct Row {
    std::string address, asset, network, source;
    std::uint64_t count = 0, first_offset = 0, order = 0;
  };
  record::FdOutput& out_;
  unsigned chunk_;
  std::map<std::string, Row> rows_;
  bool header_written_ = false;
};

}  // namespace trawl::tools

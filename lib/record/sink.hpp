#pragma once
// Where records go. Writers, test collectors and filters all implement this.
#include <vector>

#include "record/record.hpp"

namespace trawl::record {

enum class SinkStatus { proceed, stop };

class RecordSink {
 public:
  virtual ~RecordSink() = default;
  /// Takes one record. `stop` asks the producer to end early (e.g. broken pipe).
  virtual SinkStatus write(const Record& record) = 0;
  virtual void flush() {}
};

/// Collects records in memory; for tests and for buffering ordered output.
class VectorSink final : public RecordSink {
 public:
  SinkStatus write(const Record& record) override {
    records.push_back(record);
    return SinkStatus::proceed;
  }
  std::vector<Record> records;
};

}  // namespace trawl::record

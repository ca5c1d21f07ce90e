#pragma once
// Progress on standard error, never on standard output: items and bytes
// done, rate, and an ETA when the total is known (file and image sources).
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "io/pipeline.hpp"

namespace trawl::cli {

class ProgressDisplay {
 public:
  ProgressDisplay(std::string tool, const io::PipelineCounters& counters, bool enabled,
                  const std::vector<std::string>& sources);
  ~ProgressDisplay() { stop(); }
  void start();
  void stop();
  /// Erases the progress line so a diagnostic can be printed cleanly.
  void clear_line();

 private:
  void loop();
  void draw();
  std::string tool_;
  const io::PipelineCounters& counters_;
  bool enabled_;
  uint64_t total_bytes_ = 0;  // 0: unknown
  std::chrono::steady_clock::time_point started_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  bool drawn_ = false;
};

}  // namespace trawl::cli

#pragma once
// The frontiers of the windows the pipeline cut a long byte range into, shared by the workers that carve
// them: a window publishes where one carver over the whole range is idle after it, the next window waits
// for that before it decides which of its objects are real (scan/model_frontier.hpp).
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "io/item.hpp"

namespace trawl::tools {

class WindowFrontiers {
 public:
  /// The key of the window boundary at item offset `at` of `info`'s item.
  static std::string key(const io::ItemInfo& info, std::uint64_t at) {
    return info.source + '\0' + info.path + '\0' + std::to_string(info.offset.value_or(0)) + '\0' +
           std::to_string(at);
  }

  /// The window ending at `key` is final: its frontier, or nullopt when it is not known (the window was
  /// not carved, or its carve failed).
  void publish(const std::string& key, std::optional<std::uint64_t> frontier) {
    {
      std::lock_guard lock(mutex_);
      published_[key] = frontier;
    }
    changed_.notify_all();
  }

  /// Waits until the window ending at `key` is published and takes its frontier. The pipeline hands
  /// out windows in order, so that window is being carved or done (or skipped, which publishes too).
  std::optional<std::uint64_t> take(const std::string& key) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return published_.count(key) > 0; });
    const std::optional<std::uint64_t> frontier = published_[key];
    published_.erase(key);
    return frontier;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  /// Published and not yet taken: at most one per window being carved, plus the last window of each
  /// unit's item (a few dozen bytes each).
  std::map<std::string, std::optional<std::uint64_t>> published_;
};

}  // namespace trawl::tools

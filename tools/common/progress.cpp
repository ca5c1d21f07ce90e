#include "common/progress.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdio>

namespace trawl::cli {
namespace {
std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) {
    bytes /= 1024;
    ++u;
  }
  return fmt::format("{:.1f} {}", bytes, units[u]);
}
}  // namespace

ProgressDisplay::ProgressDisplay(std::string tool, const io::PipelineCounters& counters, bool enabled,
                                 const std::vector<std::string>& sources)
    : tool_(std::move(tool)), counters_(counters), enabled_(enabled) {
  // The total is known only when every source is a plain file or image;
  // directory trees would need a second walk just to count.
  for (const auto& s : sources) {
    struct stat st {};
    if (::stat(s.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      total_bytes_ = 0;
      break;
    }
    total_bytes_ += static_cast<uint64_t>(st.st_size);
  }
}

void ProgressDisplay::start() {
  if (!enabled_) return;
  started_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { loop(); });
}

void ProgressDisplay::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  thread_.join();
  draw();
  std::fputc('\n', stderr);
}

void ProgressDisplay::clear_line() {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  if (drawn_) std::fputs("\r\033[K", stderr);
}

void ProgressDisplay::loop() {
  std::unique_lock lock(mutex_);
  while (!done_) {
    wake_.wait_for(lock, std::chrono::milliseconds(500));
    if (done_) break;
    lock.unlock();
    draw();
    lock.lock();
  }
}

void ProgressDisplay::draw() {
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const double bytes = static_cast<double>(counters_.bytes.load());
  const double rate = secs > 0 ? bytes / secs : 0;
  std::string line = fmt::format("{}: {} items, {}, {}/s, {} errors", tool_, counters_.items.load(), human_bytes(bytes),
                                 human_bytes(rate), counters_.errors.load());
  if (total_bytes_ > 0 && rate > 0 && bytes < static_cast<double>(total_bytes_)) {
    const auto eta = static_cast<uint64_t>((static_cast<double>(total_bytes_) - bytes) / rate);
    line += fmt::format(", ETA {}:{:02}:{:02} (at most)", eta / 3600, eta / 60 % 60, eta % 60);
  }
  std::lock_guard lock(mutex_);
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace trawl::cli

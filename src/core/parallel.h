// ParallelFor: runs fn(i) for i in [0, n) on up to `threads` threads.
// Work is handed out one index at a time, so uneven items balance. fn must be
// safe to call concurrently for different i; results should be written to
// per-index slots so the outcome does not depend on the thread count.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace vigil {

inline int DefaultThreads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

inline void ParallelFor(std::size_t n, int threads, const std::function<void(std::size_t)>& fn) {
  if (threads <= 1 || n <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) fn(i);
  };
  std::vector<std::thread> pool;
  std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(threads), n);
  for (std::size_t t = 1; t < k; ++t) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
}

}  // namespace vigil

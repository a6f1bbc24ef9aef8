// A published snapshot: the mgmt thread's commit replaces it whole; readers on any thread take
// a reference-counted pointer and keep reading the version they took, however long they need
// it (architecture section 3: immutable snapshots swapped on apply).
//
// Thread: Set() from mgmt (a feature's Apply); Get() from any thread.
#pragma once

#include <atomic>
#include <memory>

namespace sabina::config {

template <typename T>
class Published {
 public:
  Published() = default;
  Published(const Published&) = delete;
  Published& operator=(const Published&) = delete;

  // Null until the first commit applied.
  std::shared_ptr<const T> Get() const { return ptr_.load(std::memory_order_acquire); }
  void Set(std::shared_ptr<const T> snapshot) {
    ptr_.store(std::move(snapshot), std::memory_order_release);
  }

 private:
  std::atomic<std::shared_ptr<const T>> ptr_;
};

}  // namespace sabina::config

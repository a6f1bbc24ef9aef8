#include "packet/buffer.h"

#include <sys/mman.h>

#include <cstdlib>
#include <new>

namespace sabina::packet {

BufferPool::BufferPool(uint32_t count) : count_(count) {
  region_bytes_ = static_cast<size_t>(count) * sizeof(Buffer);
  region_ = mmap(nullptr, region_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0);
  if (region_ == MAP_FAILED) std::abort();  // start-up only; nothing sensible to do without memory
  free_ = new Buffer*[count];
  auto* buffers = static_cast<Buffer*>(region_);
  // Lowest addresses on top of the LIFO: the working set stays in a few pages.
  for (uint32_t i = 0; i < count; ++i) free_[i] = &buffers[count - 1 - i];
  free_count_ = count;
}

BufferPool::~BufferPool() {
  delete[] free_;
  munmap(region_, region_bytes_);
}

}  // namespace sabina::packet

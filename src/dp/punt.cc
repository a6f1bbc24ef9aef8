#include "dp/punt.h"

namespace sabina::dp {

PuntRing::PuntRing(uint32_t slots) {
  uint32_t n = 1;
  while (n < slots) n <<= 1;
  mask_ = n - 1;
  slots_ = std::make_unique<PuntSlot[]>(n);
}

}  // namespace sabina::dp

#include "dp/tables.h"

#include "base/rcu.h"

namespace sabina::dp {

void Tables::PublishInterfaces(std::unique_ptr<const IfTable> next) {
  const IfTable* old = interfaces_.exchange(next.release(), std::memory_order_acq_rel);
  if (old != nullptr) {
    rcu::Synchronize();
    delete old;
  }
}

Tables::~Tables() { delete interfaces_.load(); }

}  // namespace sabina::dp

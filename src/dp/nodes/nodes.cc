// Placeholder until the real nodes land: every node drops what it gets.
#include "dp/node.h"
#include "dp/worker.h"

namespace sabina::dp {
namespace {
class DropAll : public Node {
 public:
  void Process(Worker& w, packet::Buffer** b, uint32_t n) override {
    for (uint32_t i = 0; i < n; ++i) w.Drop(b[i], DropReason::kEthernetUnknownType);
  }
};
}  // namespace

void CreateNodes(Worker&, std::unique_ptr<Node> (&nodes)[kNodeCount]) {
  for (auto& n : nodes) n = std::make_unique<DropAll>();
}

}  // namespace sabina::dp

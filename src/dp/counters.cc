#include "dp/counters.h"

#include "dp/node.h"

namespace sabina::dp {

const char* DropReasonName(DropReason reason) {
  static constexpr const char* kNames[] = {
#define SABINA_DROP_NAME(e, name) name,
      SABINA_DROP_REASONS(SABINA_DROP_NAME)
#undef SABINA_DROP_NAME
  };
  auto i = static_cast<uint32_t>(reason);
  return i < kDropReasonCount ? kNames[i] : "unknown";
}

const char* EventName(Event event) {
  static constexpr const char* kNames[] = {
#define SABINA_EVENT_NAME(e, name) name,
      SABINA_EVENT_COUNTERS(SABINA_EVENT_NAME)
#undef SABINA_EVENT_NAME
  };
  auto i = static_cast<uint32_t>(event);
  return i < kEventCount ? kNames[i] : "unknown";
}

const char* NodeName(NodeId id) {
  static constexpr const char* kNames[] = {
#define SABINA_NODE_NAME(e, name) name,
      SABINA_NODES(SABINA_NODE_NAME)
#undef SABINA_NODE_NAME
  };
  auto i = static_cast<uint32_t>(id);
  return i < kNodeCount ? kNames[i] : "unknown";
}

}  // namespace sabina::dp

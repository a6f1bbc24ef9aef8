// The one explicit list of the data-plane graph's node implementations, in NodeId order
// (dp/node.h). A worker calls CreateNodes() once; each worker gets its own instances.
#include "dp/node.h"
#include "dp/nodes/arp/arp_input_node.h"
#include "dp/nodes/ethernet/ethernet_input_node.h"
#include "dp/nodes/icmp/icmp4_error_node.h"
#include "dp/nodes/icmp/icmp6_error_node.h"
#include "dp/nodes/ip4/ip4_fragment_node.h"
#include "dp/nodes/ip4/ip4_input_node.h"
#include "dp/nodes/ip4/ip4_lookup_node.h"
#include "dp/nodes/ip4/ip4_rewrite_node.h"
#include "dp/nodes/ip6/ip6_input_node.h"
#include "dp/nodes/ip6/ip6_lookup_node.h"
#include "dp/nodes/ip6/ip6_rewrite_node.h"
#include "dp/nodes/output/interface_output_node.h"
#include "dp/nodes/punt/ip_local_node.h"
#include "dp/nodes/punt/punt_node.h"

namespace sabina::dp {

void CreateNodes(Worker&, std::unique_ptr<Node> (&nodes)[kNodeCount]) {
  auto set = [&](NodeId id, std::unique_ptr<Node> node) {
    nodes[static_cast<uint32_t>(id)] = std::move(node);
  };
  set(NodeId::kEthernetInput, std::make_unique<EthernetInputNode>());
  set(NodeId::kArpInput, std::make_unique<ArpInputNode>());
  set(NodeId::kIp4Input, std::make_unique<Ip4InputNode>());
  set(NodeId::kIp6Input, std::make_unique<Ip6InputNode>());
  set(NodeId::kIp4Lookup, std::make_unique<Ip4LookupNode>());
  set(NodeId::kIp6Lookup, std::make_unique<Ip6LookupNode>());
  set(NodeId::kIp4Local, std::make_unique<IpLocalNode>(Event::kIp4Local));
  set(NodeId::kIp6Local, std::make_unique<IpLocalNode>(Event::kIp6Local));
  set(NodeId::kIp4Rewrite, std::make_unique<Ip4RewriteNode>());
  set(NodeId::kIp6Rewrite, std::make_unique<Ip6RewriteNode>());
  set(NodeId::kIp4Fragment, std::make_unique<Ip4FragmentNode>());
  set(NodeId::kIcmp4Error, std::make_unique<Icmp4ErrorNode>());
  set(NodeId::kIcmp6Error, std::make_unique<Icmp6ErrorNode>());
  set(NodeId::kPunt, std::make_unique<PuntNode>());
  set(NodeId::kInterfaceOutput, std::make_unique<InterfaceOutputNode>());
}

}  // namespace sabina::dp

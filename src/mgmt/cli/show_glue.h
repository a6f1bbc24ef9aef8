// Runs a parsed forwarding command (show_commands.h): reads the state on the control thread
// through routing::Control::Call into the plain views (show_views.h), formats them, and for
// `ping`/`traceroute` runs the tool on the mgmt thread (bounded, ping.h).
//
// Without a forwarding engine (sabinad without --port, `control` null) every command but
// ping/traceroute answers "error: the forwarding engine is not running (no --port given)".
//
// Rates (`show interfaces`, `show dataplane`) are computed between two samples: the counters
// at this command and at the previous rate-showing command less than 5 minutes ago; the first
// sample shows 0.
//
// Thread: mgmt (the rate samples are mgmt-thread state); the reads run on the control thread.
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "mgmt/cli/show_commands.h"

namespace sabina::routing {
class Control;
}  // namespace sabina::routing

namespace sabina::mgmt::cli {

struct ForwardingResult {
  ForwardingResult() = default;
  ForwardingResult(std::string text_in, bool ok_in = true)  // NOLINT: {text} reads well
      : text(std::move(text_in)), ok(ok_in) {}

  std::string text;
  bool ok = true;
  // ping and traceroute: produces `text`, blocking for seconds; see CommandResult::background.
  std::function<std::string()> background;
};

ForwardingResult RunForwardingCommand(const ParsedCommand& command, routing::Control* control);

}  // namespace sabina::mgmt::cli

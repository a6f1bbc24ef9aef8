// Binding of [edit system syslog]: which facilities at which severities go to which log files
// and remote hosts. Published as a SyslogConfig the logger (src/base/log.*) reads.
//
// Config path: system syslog { file NAME { FACILITY SEVERITY; } host ADDR { FACILITY SEVERITY;
//              port N; } user NAME { ... } }
// Deviation from Junos (docs/decisions/0001-commit-storage.md): file NAME is written to
// <state_dir>/log/NAME rather than /var/log/NAME, so that a daemon never writes outside the
// directories it was given.
// Checks: a host must be an IP address or a DNS name.
//
// Thread: mgmt (Feature calls); the published snapshot is read from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/bindings/published.h"
#include "config/commit.h"

namespace sabina::config {

struct SyslogSelector {
  std::string facility;  // Junos name: "any", "authorization", "interactive-commands", ...
  // syslog(3) facility code for the standard ones, -1 for "any" and Junos-only facilities.
  int facility_code = -1;
  std::string severity;  // Junos name: "any", "emergency", ..., "info", "none"
  // syslog(3) level: messages at or below it are selected; -1 = none; "any" = 7 (debug).
  int level = -1;
};

struct SyslogConfig {
  struct File {
    std::string name;
    std::string path;  // <state_dir>/log/<name>
    std::vector<SyslogSelector> selectors;
  };
  struct Host {
    std::string host;  // as configured: address or DNS name (resolved by the logger)
    uint16_t port = 514;
    std::vector<SyslogSelector> selectors;
  };
  struct User {
    std::string name;  // "*" = every logged-in user
    std::vector<SyslogSelector> selectors;
  };
  std::vector<File> files;
  std::vector<Host> hosts;
  std::vector<User> users;
};

// syslog(3) level of a Junos severity name; -1 for "none" or unknown.
int SyslogLevel(std::string_view severity);
// syslog(3) facility code of a Junos facility name; -1 for "any" and Junos-only facilities.
int SyslogFacility(std::string_view facility);

class SyslogFeature : public Feature {
 public:
  SyslogFeature(Published<SyslogConfig>& out, std::string state_dir)
      : out_(out), log_dir_(std::move(state_dir) + "/log") {}
  const char* name() const override { return "syslog"; }
  Status Validate(const Node& effective) override;
  // Creates <state_dir>/log when files are configured.
  Status Prepare(const Node* old_effective, const Node& effective) override;
  void Apply() override;
  void Abort() override { next_.reset(); }

 private:
  Published<SyslogConfig>& out_;
  std::string log_dir_;
  std::shared_ptr<const SyslogConfig> next_;
};

}  // namespace sabina::config

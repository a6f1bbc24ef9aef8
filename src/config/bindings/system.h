// Binding of [edit system] host-name, domain-name and time-zone: the router's identity, which
// the CLI prompt ("user@host>") and the logger read.
//
// Config path: system { host-name NAME; domain-name NAME; time-zone ZONE; }
// Checks: time-zone must name a zone of the host's tz database (/usr/share/zoneinfo) or UTC.
//
// Thread: mgmt (Feature calls); the published snapshot is read from any thread.
#pragma once

#include <memory>
#include <string>

#include "config/bindings/published.h"
#include "config/commit.h"

namespace sabina::config {

struct SystemIdentity {
  std::string host_name;    // "" when not configured
  std::string domain_name;  // "" when not configured
  std::string time_zone;    // "" = UTC
};

class SystemFeature : public Feature {
 public:
  // `zoneinfo_dir` is where time zones are looked up (a test may point it elsewhere).
  explicit SystemFeature(Published<SystemIdentity>& out,
                         std::string zoneinfo_dir = "/usr/share/zoneinfo")
      : out_(out), zoneinfo_dir_(std::move(zoneinfo_dir)) {}
  const char* name() const override { return "system"; }
  Status Validate(const Node& effective) override;
  Status Prepare(const Node* old_effective, const Node& effective) override;
  void Apply() override;
  void Abort() override { next_.reset(); }

 private:
  Published<SystemIdentity>& out_;
  std::string zoneinfo_dir_;
  std::shared_ptr<const SystemIdentity> next_;
};

}  // namespace sabina::config

#include "config/bindings/system.h"

#include "base/file.h"
#include "config/bindings/util.h"

namespace sabina::config {

using bindings::Child;
using bindings::StatementError;
using bindings::Value;

namespace {

bool ValidZone(const std::string& dir, const std::string& zone) {
  if (zone == "UTC" || zone == "GMT") return true;
  if (zone.empty() || zone.front() == '/' || zone.find("..") != std::string::npos) return false;
  for (char c : zone) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '-' || c == '+';
    if (!ok) return false;
  }
  return FileExists(dir + "/" + zone);
}

}  // namespace

Status SystemFeature::Validate(const Node& effective) {
  const Node* system = Child(effective, "system");
  if (!system) return Status::Ok();
  if (const Node* tz = Child(*system, "time-zone")) {
    if (!ValidZone(zoneinfo_dir_, tz->value())) {
      return Status::Error(StatementError(*tz, "Invalid time zone: " + tz->value()));
    }
  }
  return Status::Ok();
}

Status SystemFeature::Prepare(const Node*, const Node& effective) {
  auto id = std::make_shared<SystemIdentity>();
  if (const Node* system = Child(effective, "system")) {
    id->host_name = Value(*system, "host-name");
    id->domain_name = Value(*system, "domain-name");
    id->time_zone = Value(*system, "time-zone");
  }
  next_ = std::move(id);
  return Status::Ok();
}

void SystemFeature::Apply() {
  out_.Set(std::move(next_));
  next_.reset();
}

}  // namespace sabina::config

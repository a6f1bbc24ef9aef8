#include "config/bindings/syslog.h"

#include <syslog.h>

#include <array>
#include <utility>

#include "base/file.h"
#include "config/bindings/util.h"

namespace sabina::config {

using bindings::Child;
using bindings::Children;
using bindings::StatementError;

namespace {

constexpr std::array<std::pair<std::string_view, int>, 9> kLevels = {{
    {"emergency", LOG_EMERG},
    {"alert", LOG_ALERT},
    {"critical", LOG_CRIT},
    {"error", LOG_ERR},
    {"warning", LOG_WARNING},
    {"notice", LOG_NOTICE},
    {"info", LOG_INFO},
    {"any", LOG_DEBUG},
    {"none", -1},
}};

std::vector<SyslogSelector> Selectors(const Node& dest) {
  std::vector<SyslogSelector> out;
  for (const Node* c : Children(dest, "contents")) {
    SyslogSelector s;
    s.facility = c->value();
    s.facility_code = SyslogFacility(s.facility);
    // The severity is a choice of flags (`any notice;`): the entry's one child names it.
    for (const auto& sev : c->children()) {
      if (!sev->schema()) continue;
      s.severity = sev->schema()->name;
      s.level = SyslogLevel(s.severity);
    }
    out.push_back(std::move(s));
  }
  return out;
}

bool ValidHost(const std::string& host) {
  if (bindings::ParseIp(host)) return host.find('/') == std::string::npos;
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.front() == '-') return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

int SyslogLevel(std::string_view severity) {
  for (const auto& [name, level] : kLevels) {
    if (name == severity) return level;
  }
  return -1;
}

int SyslogFacility(std::string_view f) {
  // syslog(3) codes are shifted left by 3 in the LOG_* macros.
  if (f == "kernel") return LOG_KERN >> 3;
  if (f == "user") return LOG_USER >> 3;
  if (f == "daemon") return LOG_DAEMON >> 3;
  if (f == "authorization") return LOG_AUTH >> 3;
  if (f == "security") return LOG_AUTHPRIV >> 3;
  if (f == "ftp") return LOG_FTP >> 3;
  if (f == "ntp") return 12;  // not in glibc's syslog.h; RFC 5424 facility 12
  return -1;
}

Status SyslogFeature::Validate(const Node& effective) {
  const Node* system = Child(effective, "system");
  const Node* syslog = system ? Child(*system, "syslog") : nullptr;
  if (!syslog) return Status::Ok();
  for (const Node* h : Children(*syslog, "host")) {
    if (!ValidHost(h->value())) {
      return Status::Error(StatementError(*h, "Invalid host name or address: " + h->value()));
    }
  }
  for (const Node* f : Children(*syslog, "file")) {
    const std::string& n = f->value();
    if (n.empty() || n == "." || n == ".." || n.find('/') != std::string::npos) {
      return Status::Error(StatementError(*f, "Invalid file name: " + n));
    }
  }
  return Status::Ok();
}

Status SyslogFeature::Prepare(const Node*, const Node& effective) {
  auto cfg = std::make_shared<SyslogConfig>();
  const Node* system = Child(effective, "system");
  const Node* syslog = system ? Child(*system, "syslog") : nullptr;
  if (syslog) {
    for (const Node* f : Children(*syslog, "file")) {
      cfg->files.push_back({f->value(), log_dir_ + "/" + f->value(), Selectors(*f)});
    }
    for (const Node* h : Children(*syslog, "host")) {
      SyslogConfig::Host host;
      host.host = h->value();
      if (auto port = bindings::UintValue(*h, "port")) host.port = static_cast<uint16_t>(*port);
      host.selectors = Selectors(*h);
      cfg->hosts.push_back(std::move(host));
    }
    for (const Node* u : Children(*syslog, "user")) {
      cfg->users.push_back({u->value(), Selectors(*u)});
    }
  }
  if (!cfg->files.empty()) {
    Status st = MakeDirs(log_dir_);
    if (!st.ok()) return Status::Error("[edit system syslog]\n  " + st.message());
  }
  next_ = std::move(cfg);
  return Status::Ok();
}

void SyslogFeature::Apply() {
  out_.Set(std::move(next_));
  next_.reset();
}

}  // namespace sabina::config

#include "config/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "base/file.h"

namespace sabina::config {
namespace {

using nlohmann::json;

constexpr std::string_view kLastCommit = "## Last commit: ";
constexpr std::string_view kMetaPrefix = "## sabina-commit: ";
constexpr char kPendingName[] = "/commit-confirmed";

// Header lines are short; a history index needs only them, not the (maybe large) body.
StatusOr<std::string> ReadHead(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error("cannot open " + path + ": " + std::strerror(errno));
  std::string head(64 * 1024, '\0');
  size_t got = 0;
  while (got < head.size()) {
    ssize_t n = ::read(fd, head.data() + got, head.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  head.resize(got);
  return head;
}

std::optional<uint64_t> SeqFromName(std::string_view name) {
  constexpr std::string_view kExt = ".conf";
  if (name.size() <= kExt.size() || name.substr(name.size() - kExt.size()) != kExt) {
    return std::nullopt;
  }
  name.remove_suffix(kExt.size());
  if (name.size() > 19) return std::nullopt;
  uint64_t v = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// json accessors that never throw: a hand-edited file must not crash the daemon.
uint64_t GetUint(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}
int64_t GetInt(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}
std::string GetString(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
bool GetBool(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

std::string_view FirstLine(std::string_view text) {
  size_t nl = text.find('\n');
  return nl == std::string_view::npos ? text : text.substr(0, nl);
}

std::string_view SkipLine(std::string_view text) {
  size_t nl = text.find('\n');
  return nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
}

}  // namespace

std::string Store::FormatTime(int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  gmtime_r(&tt, &tm);
  char buf[64];
  strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string Store::Header(uint64_t seq, const CommitInfo& info) {
  json meta = {{"seq", seq},         {"time", info.time},       {"user", info.user},
               {"client", info.client}, {"comment", info.comment}, {"confirmed", info.confirmed}};
  std::string h;
  h.append(kLastCommit).append(FormatTime(info.time));
  h.append(" by ").append(info.user).append(" via ").append(info.client).append("\n");
  h.append(kMetaPrefix);
  h.append(meta.dump(-1, ' ', false, json::error_handler_t::replace));
  h.append("\n");
  return h;
}

std::optional<StoredCommit> Store::ParseHeader(std::string_view text) {
  if (!FirstLine(text).starts_with(kLastCommit)) return std::nullopt;
  std::string_view meta_line = FirstLine(SkipLine(text));
  if (!meta_line.starts_with(kMetaPrefix)) return std::nullopt;
  meta_line.remove_prefix(kMetaPrefix.size());
  json j = json::parse(meta_line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  StoredCommit c;
  c.seq = GetUint(j, "seq");
  if (c.seq == 0) return std::nullopt;
  c.info.time = GetInt(j, "time");
  c.info.user = GetString(j, "user");
  c.info.client = GetString(j, "client");
  c.info.comment = GetString(j, "comment");
  c.info.confirmed = GetBool(j, "confirmed");
  return c;
}

std::string_view Store::Body(std::string_view text) {
  if (FirstLine(text).starts_with(kLastCommit)) text = SkipLine(text);
  if (FirstLine(text).starts_with(kMetaPrefix)) text = SkipLine(text);
  return text;
}

Store::Store(std::string config_file, std::string state_dir, int lock_fd)
    : config_file_(std::move(config_file)),
      state_dir_(std::move(state_dir)),
      rollback_dir_(state_dir_ + "/rollback"),
      lock_fd_(lock_fd) {}

Store::~Store() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& config_file,
                                             const std::string& state_dir, int lock_wait_ms) {
  SABINA_RETURN_IF_ERROR(MakeDirs(state_dir + "/rollback"));
  SABINA_RETURN_IF_ERROR(MakeDirs(DirName(config_file)));
  const std::string lock_path = state_dir + "/lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Error("cannot open " + lock_path + ": " + std::strerror(errno));
  // A daemon that was just SIGKILLed may take a moment to release its lock.
  bool locked = false;
  for (int waited = 0; !locked; waited += 50) {
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
      locked = true;
    } else if (waited >= lock_wait_ms) {
      break;
    } else {
      ::usleep(50 * 1000);
    }
  }
  if (!locked) {
    ::close(fd);
    return Status::Error("state directory " + state_dir + " is in use by another sabinad");
  }
  std::unique_ptr<Store> store(new Store(config_file, state_dir, fd));
  SABINA_RETURN_IF_ERROR(RemoveStaleTemps(config_file));
  SABINA_RETURN_IF_ERROR(RemoveStaleTemps(state_dir + kPendingName));
  SABINA_RETURN_IF_ERROR(store->Index());
  return store;
}

std::string Store::EntryPath(uint64_t seq) const {
  char name[32];
  snprintf(name, sizeof(name), "/%010llu.conf", static_cast<unsigned long long>(seq));
  return rollback_dir_ + name;
}

Status Store::Index() {
  auto names = ListDir(rollback_dir_);
  if (!names.ok()) return names.status();
  all_.clear();
  for (const std::string& name : *names) {
    if (name.starts_with(".")) {
      // A temporary of a writer killed before its rename: never part of the history.
      SABINA_RETURN_IF_ERROR(RemoveFile(rollback_dir_ + "/" + name));
      continue;
    }
    std::optional<uint64_t> seq = SeqFromName(name);
    if (!seq || *seq == 0) continue;
    StoredCommit c;
    c.seq = *seq;
    auto head = ReadHead(rollback_dir_ + "/" + name);
    if (!head.ok()) return head.status();
    if (auto parsed = ParseHeader(*head)) c.info = parsed->info;
    all_.push_back(std::move(c));
    max_seq_ = std::max(max_seq_, *seq);
  }
  std::sort(all_.begin(), all_.end(),
            [](const StoredCommit& a, const StoredCommit& b) { return a.seq > b.seq; });
  return Prune();
}

Status Store::Prune() {
  Status first_error;
  std::vector<StoredCommit> kept;
  for (size_t i = 0; i < all_.size(); ++i) {
    if (i < kHistorySize || (pinned_ && all_[i].seq == *pinned_)) {
      kept.push_back(std::move(all_[i]));
      continue;
    }
    Status st = RemoveFile(EntryPath(all_[i].seq));
    if (!st.ok()) {
      if (first_error.ok()) first_error = st;
      kept.push_back(std::move(all_[i]));
    }
  }
  all_ = std::move(kept);
  history_.assign(all_.begin(), all_.begin() + std::min(all_.size(), kHistorySize));
  return first_error;
}

Status Store::DropNewerThan(uint64_t seq) {
  while (!all_.empty() && all_.front().seq > seq) {
    SABINA_RETURN_IF_ERROR(RemoveFile(EntryPath(all_.front().seq)));
    all_.erase(all_.begin());
  }
  return Prune();
}

bool Store::HasEntry(uint64_t seq) const {
  return std::any_of(all_.begin(), all_.end(),
                     [seq](const StoredCommit& c) { return c.seq == seq; });
}

StatusOr<std::string> Store::ReadEntry(uint64_t seq) const {
  if (!HasEntry(seq)) return Status::Error("commit " + std::to_string(seq) + " not in history");
  return ReadFile(EntryPath(seq));
}

Status Store::WriteCommitted(uint64_t seq, const CommitInfo& info, std::string_view body,
                             const std::function<Status(uint64_t seq)>& before_file) {
  const std::string header = Header(seq, info);
  const std::string entry = EntryPath(seq);
  // Entry first: until FILE is renamed, the entry is an unfinished commit that Recover()
  // drops; after it, FILE and its entry agree.
  SABINA_RETURN_IF_ERROR(WriteFileAtomic(entry, {header, body}));
  Status st = before_file ? before_file(seq) : Status::Ok();
  if (st.ok()) st = WriteFileAtomic(config_file_, {header, body});
  if (!st.ok()) {
    (void)RemoveFile(entry);
    return st;
  }
  max_seq_ = std::max(max_seq_, seq);
  all_.insert(all_.begin(), StoredCommit{seq, info});
  // A failed unlink of an old entry is retried at the next commit or start; the commit stands.
  (void)Prune();
  return Status::Ok();
}

StatusOr<uint64_t> Store::Persist(const CommitInfo& info, std::string_view body,
                                  const std::function<Status(uint64_t seq)>& before_file) {
  uint64_t seq = max_seq_ + 1;
  SABINA_RETURN_IF_ERROR(WriteCommitted(seq, info, body, before_file));
  return seq;
}

StatusOr<std::string> Store::Recover(std::string_view default_body, const Canonicalize& canonical,
                                     int64_t now) {
  if (!FileExists(config_file_)) {
    CommitInfo info{now, "root", "other", "", false};
    auto seq = Persist(info, default_body);
    if (!seq.ok()) return seq.status();
    return Header(*seq, info) + std::string(default_body);
  }
  auto text = ReadFile(config_file_);
  if (!text.ok()) return text.status();
  std::optional<StoredCommit> meta = ParseHeader(*text);
  if (meta && HasEntry(meta->seq)) {
    auto entry = ReadEntry(meta->seq);
    if (!entry.ok()) return entry.status();
    // FILE is entry `seq`. One newer entry means a commit was killed between writing its
    // entry and renaming FILE: it never took effect. Several newer ones cannot come from a
    // crash (FILE was replaced by hand with an old one), so they are kept and FILE is
    // recorded as a new commit below.
    size_t newer = 0;
    for (const StoredCommit& c : all_) newer += c.seq > meta->seq ? 1 : 0;
    if (*entry == *text && newer <= 1 && (newer == 0 || all_.front().seq == meta->seq + 1)) {
      SABINA_RETURN_IF_ERROR(DropNewerThan(meta->seq));
      return text;
    }
  }
  // FILE is not a history entry byte for byte: edited outside sabinad, written by another
  // tool, or history lost. It is still the truth; make it canonical and record it.
  auto body = canonical(*text);
  if (!body.ok()) return body.status();
  if (!all_.empty()) {
    auto newest = ReadEntry(all_.front().seq);
    if (!newest.ok()) return newest.status();
    if (Body(*newest) == *body) {
      // Killed while rewriting FILE after recording it below, or only the header was lost.
      SABINA_RETURN_IF_ERROR(WriteFileAtomic(config_file_, *newest));
      return newest;
    }
  }
  CommitInfo info;
  if (meta) {
    info = meta->info;
  } else {
    struct stat st {};
    info.time = ::stat(config_file_.c_str(), &st) == 0 ? st.st_mtime : now;
    info.user = "root";
    info.client = "other";
  }
  auto seq = Persist(info, *body);
  if (!seq.ok()) return seq.status();
  return Header(*seq, info) + *body;
}

std::optional<PendingConfirm> Store::ReadPending() const {
  auto text = ReadFile(state_dir_ + kPendingName);
  if (!text.ok()) return std::nullopt;
  json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  PendingConfirm p;
  p.deadline = GetInt(j, "deadline");
  p.restore_seq = GetUint(j, "restore_seq");
  p.commit_seq = GetUint(j, "commit_seq");
  if (p.restore_seq == 0 || p.commit_seq == 0) return std::nullopt;
  return p;
}

Status Store::WritePending(const PendingConfirm& p) {
  json j = {{"deadline", p.deadline}, {"restore_seq", p.restore_seq}, {"commit_seq", p.commit_seq}};
  return WriteFileAtomic(state_dir_ + kPendingName, j.dump() + "\n");
}

Status Store::ClearPending() {
  SABINA_RETURN_IF_ERROR(RemoveFile(state_dir_ + kPendingName));
  return SyncDir(state_dir_);
}

}  // namespace sabina::config

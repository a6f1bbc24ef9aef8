// The mgmt thread's event loop: the CLI Unix socket, one Session per connection, the
// shutdown signal and the Mgmt timers. Protocol: mgmt/protocol.h and
// docs/decisions/0002-cli-protocol.md.
//
// One poll() loop serves everything, so Sessions and Mgmt are only ever touched by this
// thread and need no locks. A command that waits on the outside world (ping, traceroute: see
// CommandResult::background) runs its waiting part on a thread of its own, so that other
// clients are served meanwhile; its client's later requests wait for it. Requests of one client are answered in order; writes are
// non-blocking with a per-client output buffer, so a client that stops reading only
// stalls itself (its input is not read again until its output drains).
//
// Thread: mgmt (the thread that calls Run()).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "mgmt/cli/session.h"
#include "mgmt/protocol.h"

namespace sabina::mgmt {

class Mgmt;
class Session;

struct ServerOptions {
  std::string socket_path;
  // Readable when the daemon must stop (a signalfd for SIGTERM/SIGINT); -1 for none.
  // Not owned.
  int stop_fd = -1;
  mode_t socket_mode = 0660;
  // Mgmt::Tick() period; the commit-confirmed timer needs it at least once a second.
  std::chrono::milliseconds tick_interval{500};
  size_t max_request_bytes = protocol::kMaxLineBytes;
  // A client whose unsent output exceeds this is not read until it drains.
  size_t max_pending_output = size_t{16} << 20;
  // Called after every command and every tick, i.e. whenever a commit (or a confirmed-commit
  // rollback) may have changed the running configuration; the daemon uses it to follow
  // `system syslog`. Must be cheap when nothing changed.
  std::function<void()> after_change;
};

class Server {
 public:
  // Binds the socket. Fails if another daemon answers on it; removes a stale socket file;
  // refuses to replace anything that is not a socket. Creates the socket's directory.
  static StatusOr<std::unique_ptr<Server>> Create(Mgmt& mgmt, ServerOptions options);
  // Closes every client (destroying its Session) and removes the socket file if it is
  // still the one this server created.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until stop_fd becomes readable (or a fatal poll error).
  Status Run();

  size_t client_count() const { return clients_.size(); }

 private:
  struct Client;
  struct Job;

  Server(Mgmt& mgmt, ServerOptions options, int listen_fd, dev_t dev, ino_t ino);
  void Accept();
  // Reads what is available and answers complete requests; false if the client must go.
  bool ReadFrom(Client& client);
  bool FlushTo(Client& client);
  void Handle(Client& client, const std::string& line);
  void Respond(Client& client, protocol::Op op, CommandResult result);
  void StartJob(Client& client, protocol::Op op, CommandResult result);
  // The background command's eventfd is readable: answers with its result.
  void FinishJob(Client& client);
  void DrainStopFd();

  Mgmt& mgmt_;
  ServerOptions options_;
  int listen_fd_;
  dev_t socket_dev_;
  ino_t socket_ino_;
  std::vector<std::unique_ptr<Client>> clients_;
  uint64_t next_client_id_ = 1;
  // Out of descriptors: the listener is left alone until then.
  std::chrono::steady_clock::time_point accept_paused_until_;
};

// Exposed for the daemon's start-up check and for tests.
// Ok if no daemon answers on `path` (removing a stale socket file); an error if one does,
// or if `path` exists and is not a socket.
Status ClaimSocketPath(const std::string& path);

// The login name of `uid` (its number as text if it has no passwd entry).
std::string UserName(uid_t uid);

}  // namespace sabina::mgmt

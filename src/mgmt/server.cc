#include "mgmt/server.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <system_error>
#include <thread>
#include <utility>

#include "base/log.h"
#include "mgmt/cli/session.h"
#include "mgmt/mgmt.h"

namespace sabina::mgmt {
namespace {

using Clock = std::chrono::steady_clock;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

StatusOr<sockaddr_un> SocketAddress(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty()) return Status::Error("empty socket path");
  if (path.size() >= sizeof(addr.sun_path)) {
    return Status::Error("socket path too long (max " + std::to_string(sizeof(addr.sun_path) - 1) +
                         " bytes): " + path);
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  return addr;
}

Status MakeDirs(const std::string& dir) {
  if (dir.empty()) return Status::Ok();
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string prefix = dir.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return Status::Error(Errno("cannot create directory " + prefix));
    }
  }
  return Status::Ok();
}

}  // namespace

// The background part of a command (CommandResult::background), run on a detached thread.
// Shared by that thread and the Client, so that either may go first (a client that disconnects
// during a ping leaves the thread to finish on its own).
struct Server::Job {
  int fd = -1;                     // eventfd the thread signals when `output` is ready
  std::atomic<bool> ready{false};  // `output` is written
  std::string output;
  protocol::Op op = protocol::Op::kExec;
  std::function<CommandResult(std::string)> finish;  // mgmt thread only

  ~Job() {
    if (fd >= 0) ::close(fd);
  }
};

// Thread: mgmt. Owned by the Server; owns the connection and its Session.
struct Server::Client {
  int fd = -1;
  uint64_t id = 0;
  std::string user;
  std::unique_ptr<Session> session;
  protocol::LineSplitter in;
  std::string out;
  size_t out_sent = 0;
  // No more input is read (EOF or a fatal request); close once `out` is sent.
  bool closing = false;
  // The session ended (`exit`/`quit`): later requests are ignored.
  bool quit = false;
  // A command running in the background: later requests wait for it.
  std::shared_ptr<Job> job;

  explicit Client(size_t max_line) : in(max_line) {}
  ~Client() {
    session.reset();  // before the fd closes, so its lock release happens while "connected"
    if (fd >= 0) ::close(fd);
  }
  size_t pending() const { return out.size() - out_sent; }
};

std::string UserName(uid_t uid) {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::string buffer(size > 0 ? static_cast<size_t>(size) : 16384, '\0');
  passwd pw{};
  passwd* result = nullptr;
  if (::getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &result) == 0 && result != nullptr &&
      result->pw_name != nullptr) {
    return result->pw_name;
  }
  return std::to_string(uid);
}

Status ClaimSocketPath(const std::string& path) {
  StatusOr<sockaddr_un> addr = SocketAddress(path);
  if (!addr.ok()) return addr.status();
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return Status::Error(Errno("cannot stat " + path));
  }
  if (!S_ISSOCK(st.st_mode)) {
    return Status::Error(path + " exists and is not a socket; not replacing it");
  }
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Error(Errno("socket"));
  int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(sockaddr_un));
  int saved = errno;
  ::close(fd);
  if (rc == 0) return Status::Error("another sabinad is already serving " + path);
  if (saved != ECONNREFUSED) {
    errno = saved;
    return Status::Error(Errno("cannot check socket " + path));
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::Error(Errno("cannot remove stale socket " + path));
  }
  SABINA_LOG(kNotice) << "removed stale socket " << path;
  return Status::Ok();
}

StatusOr<std::unique_ptr<Server>> Server::Create(Mgmt& mgmt, ServerOptions options) {
  StatusOr<sockaddr_un> addr = SocketAddress(options.socket_path);
  if (!addr.ok()) return addr.status();
  size_t slash = options.socket_path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    SABINA_RETURN_IF_ERROR(MakeDirs(options.socket_path.substr(0, slash)));
  }
  SABINA_RETURN_IF_ERROR(ClaimSocketPath(options.socket_path));

  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Error(Errno("socket"));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&*addr), sizeof(sockaddr_un)) != 0) {
    Status s = Status::Error(Errno("cannot bind " + options.socket_path));
    ::close(fd);
    return s;
  }
  struct stat st;
  if (::chmod(options.socket_path.c_str(), options.socket_mode) != 0 ||
      ::stat(options.socket_path.c_str(), &st) != 0 || ::listen(fd, 128) != 0) {
    Status s = Status::Error(Errno("cannot set up " + options.socket_path));
    ::unlink(options.socket_path.c_str());
    ::close(fd);
    return s;
  }
  SABINA_LOG(kInfo) << "listening on " << options.socket_path;
  return std::unique_ptr<Server>(new Server(mgmt, std::move(options), fd, st.st_dev, st.st_ino));
}

Server::Server(Mgmt& mgmt, ServerOptions options, int listen_fd, dev_t dev, ino_t ino)
    : mgmt_(mgmt),
      options_(std::move(options)),
      listen_fd_(listen_fd),
      socket_dev_(dev),
      socket_ino_(ino) {}

Server::~Server() {
  clients_.clear();
  ::close(listen_fd_);
  // Another daemon may have replaced the file meanwhile; only remove our own.
  struct stat st;
  if (::stat(options_.socket_path.c_str(), &st) == 0 && st.st_dev == socket_dev_ &&
      st.st_ino == socket_ino_) {
    ::unlink(options_.socket_path.c_str());
  }
}

void Server::Accept() {
  for (;;) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // The pending connection stays queued and the listener stays readable: without a
        // pause the loop would spin until a descriptor frees up.
        SABINA_LOG(kWarning) << Errno("accept") << "; not accepting for a second";
        accept_paused_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED) {
        SABINA_LOG(kWarning) << Errno("accept");
      }
      return;
    }
    auto client = std::make_unique<Client>(options_.max_request_bytes);
    client->fd = fd;
    client->id = next_client_id_++;
    ucred cred{};
    socklen_t len = sizeof(cred);
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
      SABINA_LOG(kWarning) << Errno("SO_PEERCRED") << "; refusing client";
      continue;  // the Client destructor closes fd
    }
    client->user = UserName(cred.uid);
    client->session = mgmt_.NewSession(client->user);
    if (client->session == nullptr) {
      SABINA_LOG(kWarning) << "no session for user " << client->user << "; refusing client";
      continue;
    }
    SABINA_LOG(kInfo) << "client " << client->id << " connected: user " << client->user << " (uid "
                      << cred.uid << ", pid " << cred.pid << ")";
    clients_.push_back(std::move(client));
  }
}

void Server::Handle(Client& client, const std::string& line) {
  StatusOr<protocol::Request> request = protocol::DecodeRequest(line);
  if (!request.ok()) {
    SABINA_LOG(kNotice) << "client " << client.id
                        << ": bad request: " << request.status().message();
    client.out += protocol::EncodeError("bad request: " + request.status().message());
    return;
  }
  protocol::Response response;
  Session& session = *client.session;
  switch (request->op) {
    case protocol::Op::kHello:
      session.set_interactive(request->interactive);
      break;
    case protocol::Op::kExec:
    case protocol::Op::kTerminal: {
      if (request->op == protocol::Op::kExec) {
        // Junos logs every command line under this facility with this tag.
        SABINA_LOG_TO(log::kInteractiveCommands, kInfo)
            << "UI_CMDLINE_READ_LINE: User '" << client.user << "', command '" << request->text
            << "'";
      }
      CommandResult result = request->op == protocol::Op::kExec
                                 ? session.Start(request->text)
                                 : session.TerminalInput(request->text);
      if (result.background) {
        StartJob(client, request->op, std::move(result));
        return;
      }
      Respond(client, request->op, std::move(result));
      return;
    }
    case protocol::Op::kComplete: {
      CompletionResult result = session.Complete(request->text);
      for (Completion& c : result.candidates) {
        response.candidates.push_back({std::move(c.word), std::move(c.help), c.is_placeholder});
      }
      response.error = std::move(result.error);
      break;
    }
  }
  if (request->op != protocol::Op::kComplete) {
    response.prompt = session.Prompt();
    response.banner = session.Banner();
  }
  client.out += protocol::EncodeResponse(request->op, response);
  if (request->op != protocol::Op::kComplete && options_.after_change) options_.after_change();
}

void Server::Respond(Client& client, protocol::Op op, CommandResult result) {
  protocol::Response response;
  response.output = std::move(result.output);
  response.ok = result.ok;
  response.quit = result.quit;
  response.wants_terminal = result.wants_terminal;
  if (result.quit) client.quit = client.closing = true;
  response.prompt = client.session->Prompt();
  response.banner = client.session->Banner();
  client.out += protocol::EncodeResponse(op, response);
  if (options_.after_change) options_.after_change();
}

void Server::StartJob(Client& client, protocol::Op op, CommandResult result) {
  auto job = std::make_shared<Job>();
  job->op = op;
  job->finish = std::move(result.finish);
  job->fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (job->fd >= 0) {
    try {
      std::thread([job, work = result.background] {
        job->output = work();
        job->ready.store(true, std::memory_order_release);
        uint64_t one = 1;
        ssize_t ignored = ::write(job->fd, &one, sizeof one);
        (void)ignored;
      }).detach();
      client.job = std::move(job);
      return;
    } catch (const std::system_error& e) {
      SABINA_LOG(kWarning) << "cannot start a background command: " << e.what();
    }
  }
  // No thread: run it here, blocking every client until it ends.
  Respond(client, op, job->finish(result.background()));
}

void Server::FinishJob(Client& client) {
  uint64_t count;
  ssize_t ignored = ::read(client.job->fd, &count, sizeof count);
  (void)ignored;
  if (!client.job->ready.load(std::memory_order_acquire)) return;
  std::shared_ptr<Job> job = std::move(client.job);
  Respond(client, job->op, job->finish(std::move(job->output)));
}

bool Server::ReadFrom(Client& client) {
  char buffer[65536];
  // Bounded per round so one client streaming a huge paste can't starve the others.
  for (int round = 0; round < 16 && !client.closing; ++round) {
    ssize_t n = ::recv(client.fd, buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      SABINA_LOG(kInfo) << "client " << client.id << ": " << Errno("read");
      return false;
    }
    if (n == 0) {
      client.closing = true;  // answer what was complete, then close
      break;
    }
    client.in.Append(std::string_view(buffer, static_cast<size_t>(n)));
  }
  return true;
}

bool Server::FlushTo(Client& client) {
  while (client.pending() > 0) {
    ssize_t n = ::send(client.fd, client.out.data() + client.out_sent, client.pending(),
                       MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      SABINA_LOG(kInfo) << "client " << client.id << ": " << Errno("write");
      return false;
    }
    client.out_sent += static_cast<size_t>(n);
  }
  if (client.out_sent == client.out.size()) {
    client.out.clear();
    client.out_sent = 0;
  } else if (client.out_sent > client.out.size() / 2) {
    client.out.erase(0, client.out_sent);
    client.out_sent = 0;
  }
  return true;
}

void Server::DrainStopFd() {
  char buffer[1024];
  while (::read(options_.stop_fd, buffer, sizeof(buffer)) > 0) {
  }
}

Status Server::Run() {
  Clock::time_point next_tick = Clock::now() + options_.tick_interval;
  std::vector<pollfd> fds;
  for (;;) {
    fds.clear();
    fds.push_back({options_.stop_fd, POLLIN, 0});  // poll ignores a negative fd
    short accept_events = Clock::now() >= accept_paused_until_ ? POLLIN : 0;
    fds.push_back({listen_fd_, accept_events, 0});
    for (const auto& c : clients_) {
      short events = 0;
      if (!c->closing && c->pending() <= options_.max_pending_output) events |= POLLIN;
      if (c->pending() > 0) events |= POLLOUT;
      // A client that closed while its background command runs has nothing to do until the
      // command ends (and a hung-up socket would report POLLHUP on every round).
      bool waiting = c->closing && c->job && c->pending() == 0;
      fds.push_back({waiting ? -1 : c->fd, events, 0});
    }
    // Then one entry per client, its background command's eventfd (-1: none, ignored by poll).
    for (const auto& c : clients_) fds.push_back({c->job ? c->job->fd : -1, POLLIN, 0});
    Clock::time_point wake = next_tick;
    if (accept_paused_until_ > Clock::now()) wake = std::min(wake, accept_paused_until_);
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(wake - Clock::now());
    int timeout = wait.count() > 0 ? static_cast<int>(wait.count()) : 0;
    int n = ::poll(fds.data(), fds.size(), timeout);
    if (n < 0 && errno != EINTR) return Status::Error(Errno("poll"));

    if (n > 0 && (fds[0].revents & POLLIN)) {
      DrainStopFd();
      SABINA_LOG(kInfo) << "stop requested; closing " << clients_.size() << " client(s)";
      return Status::Ok();
    }
    if (n > 0) {
      for (size_t i = 0; i < clients_.size(); ++i) {
        Client& c = *clients_[i];
        short revents = fds[i + 2].revents;
        bool alive = true;
        if (c.job && (fds[i + 2 + clients_.size()].revents & POLLIN)) FinishJob(c);
        if (revents & (POLLIN | POLLHUP | POLLERR)) alive = ReadFrom(c);
        // Answer complete requests, one at a time, while the client keeps reading replies.
        while (alive && !c.job && !c.quit && c.pending() <= options_.max_pending_output) {
          std::optional<std::string> line = c.in.Next();
          if (!line) break;
          Handle(c, *line);
        }
        if (alive && c.in.overflow() && !c.quit) {
          SABINA_LOG(kNotice) << "client " << c.id << ": request longer than "
                              << options_.max_request_bytes << " bytes; closing";
          c.out += protocol::EncodeError("request too long");
          c.quit = c.closing = true;
        }
        if (alive && c.pending() > 0) alive = FlushTo(c);
        if (alive && c.closing && c.pending() == 0 && !c.job) alive = false;
        if (!alive) {
          SABINA_LOG(kInfo) << "client " << c.id << " (" << c.user << ") disconnected";
          clients_[i].reset();
        }
      }
      std::erase(clients_, nullptr);
      if (fds[1].revents & POLLIN) Accept();
    }
    if (Clock::now() >= next_tick) {
      mgmt_.Tick();
      if (options_.after_change) options_.after_change();
      next_tick = Clock::now() + options_.tick_interval;
    }
  }
}

}  // namespace sabina::mgmt

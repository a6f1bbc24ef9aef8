#include "connection.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace sabina::client {

std::string DefaultSocketPath() {
  const char* env = std::getenv("SABINA_SOCKET");
  return env != nullptr && *env != '\0' ? env : kDefaultSocket;
}

StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& socket_path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.empty() || socket_path.size() >= sizeof(addr.sun_path)) {
    return Status::Error("bad socket path: " + socket_path);
  }
  std::memcpy(addr.sun_path, socket_path.data(), socket_path.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Error(std::string("socket: ") + std::strerror(errno));
  int rc;
  do {
    rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    std::string reason = std::strerror(errno);
    ::close(fd);
    return Status::Error("cannot connect to sabinad at " + socket_path + ": " + reason);
  }
  return std::unique_ptr<Connection>(new Connection(fd));
}

Connection::~Connection() { ::close(fd_); }

StatusOr<mgmt::protocol::Response> Connection::Call(const mgmt::protocol::Request& request) {
  std::string wire = mgmt::protocol::EncodeRequest(request);
  std::string_view rest = wire;
  while (!rest.empty()) {
    ssize_t n = ::send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n < 0) {
      // A Ctrl-C while a command runs must not desynchronise the request/response stream.
      if (errno == EINTR) continue;
      return Status::Error(std::string("connection to sabinad lost: ") + std::strerror(errno));
    }
    rest.remove_prefix(static_cast<size_t>(n));
  }
  char buffer[65536];
  for (;;) {
    if (std::optional<std::string> line = in_.Next()) {
      return mgmt::protocol::DecodeResponse(*line);
    }
    ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Error(std::string("connection to sabinad lost: ") + std::strerror(errno));
    }
    if (n == 0) return Status::Error("connection to sabinad closed");
    in_.Append(std::string_view(buffer, static_cast<size_t>(n)));
  }
}

}  // namespace sabina::client

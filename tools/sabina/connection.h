// The client end of the CLI socket: blocking, one request then its response
// (mgmt/protocol.h).
//
// Thread: the client's only thread.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "mgmt/protocol.h"

namespace sabina::client {

class Connection {
 public:
  static StatusOr<std::unique_ptr<Connection>> Open(const std::string& socket_path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends `request` and waits for its response. An error means the connection is unusable
  // (daemon gone, protocol broken); a server-side refusal comes back as a Response with
  // ok=false and `error` set.
  StatusOr<mgmt::protocol::Response> Call(const mgmt::protocol::Request& request);

 private:
  explicit Connection(int fd) : fd_(fd) {}

  int fd_;
  // Responses (e.g. `show configuration` of a big router) can be large; no practical limit.
  mgmt::protocol::LineSplitter in_{size_t{1} << 32};
};

// $SABINA_SOCKET, else kDefaultSocket.
std::string DefaultSocketPath();
inline constexpr const char* kDefaultSocket = "/run/sabina/sabina.sock";

}  // namespace sabina::client

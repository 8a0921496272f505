#pragma once
// Detects that the client of an HTTP request has gone (closed or reset its connection) while the request
// waits for the batcher, so its queued texts can be dropped. cpp-httplib 0.11 does not hand handlers the
// socket, so the socket is found once by its address pair (local port + peer address and port are unique
// among open connections) and then polled for hang-up without reading from it.
#include <string>
#include <utility>

namespace fastintent::serve {

class ClientWatch {
 public:
  ClientWatch(std::string remote_addr, int remote_port, int local_port);
  // True when the peer has closed or reset the connection. False when it is open or cannot be told.
  bool ClientGone();

 private:
  std::string remote_addr_;
  int remote_port_;
  int local_port_;
  int fd_ = -2;  // -2: not looked up yet; -1: not found
};

}  // namespace fastintent::serve

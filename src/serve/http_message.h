#pragma once
// One HTTP exchange as the service sees it, in std types only: the transport (http_server.h, Boost.Beast)
// fills an HttpRequest after every limit has held and writes the HttpResponse a handler returns. Handlers that
// wait for the batcher return a DeferredResponse instead; the connection waits for it without holding a thread.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fastintent::serve {

class PendingRequest;

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string method;  // as sent: "GET", "POST", ...
  std::string target;  // as sent, query included
  std::string path;    // the target without its query
  std::vector<HttpHeader> headers;
  std::string body;  // after Content-Encoding was undone (bounded by --max-inflated-body-bytes)
  std::string remote_address;
  int remote_port = 0;
  std::string request_id;  // the client's X-Request-Id when it is usable, else a new one (echoed and logged)
  std::chrono::steady_clock::time_point received;  // the request was complete

  // The first header of that name (any letter case), or an empty view. Also counts how many there were.
  std::string_view Header(std::string_view name, std::size_t* count = nullptr) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type;
  std::vector<HttpHeader> headers;  // besides Content-Type, Content-Length, Connection and X-Request-Id
  std::string body;
  std::string endpoint;  // the metrics label: a known path or "other"
};

// A response that needs the batcher: the connection waits (without a thread) until `pending` is done, then sends
// finish(); at `deadline` it cancels `pending` and sends timed_out(). If the client leaves first it cancels
// `pending` and records client_gone().
struct DeferredResponse {
  std::shared_ptr<PendingRequest> pending;
  std::chrono::steady_clock::time_point deadline;
  std::function<HttpResponse()> finish;
  std::function<HttpResponse()> timed_out;
  std::function<HttpResponse()> client_gone;  // only recorded (status 499): nobody is there to read it
};

// ASCII letter case ignored (header names, tokens such as "chunked").
bool EqualsIgnoringCase(std::string_view a, std::string_view b);
// Without leading and trailing spaces and tabs (a header value's optional whitespace).
std::string_view TrimBlanks(std::string_view value);

using HandlerResult = std::variant<HttpResponse, DeferredResponse>;

// What the transport calls. Handle and Record run on the HTTP threads, concurrently.
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual HandlerResult Handle(HttpRequest& request) = 0;
  // After a response was handed to the socket (or the client was gone): metrics and the request log.
  virtual void Record(const HttpRequest& request, const HttpResponse& response) = 0;
};

}  // namespace fastintent::serve

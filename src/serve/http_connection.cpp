#include "http_connection.h"

#include <sys/socket.h>

#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/status.hpp>
#include <optional>
#include <type_traits>

#include "api_error.h"
#include "batcher.h"
#include "body_encoding.h"
#include "request_id.h"
#include "request_parser.h"

namespace fastintent::serve {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr std::chrono::seconds kLingerTime{2};  // after a final answer, unread input is drained this long at most
constexpr std::size_t kLingerBytes = 16 << 20;  // ... and this much at most
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string_view ReasonPhrase(int status) {
  const auto reason = http::obsolete_reason(static_cast<http::status>(status));
  return reason.empty() ? std::string_view("Unknown") : std::string_view(reason.data(), reason.size());
}

std::string LimitMessage(Rejection rejection, const HttpLimits& limits) {
  switch (rejection) {
    case Rejection::kBodyTooLarge:
      return "request body over the limit of " + std::to_string(limits.max_body_bytes) +
             " bytes (--max-body-bytes / FASTINTENT_MAX_BODY_BYTES)";
    case Rejection::kInflatedTooLarge:
      return "request body inflates to more than " + std::to_string(limits.max_inflated_body_bytes) +
             " bytes (--max-inflated-body-bytes / FASTINTENT_MAX_INFLATED_BODY_BYTES)";
    case Rejection::kUrlTooLong:
      return "request target over the limit of " + std::to_string(limits.max_url_bytes) +
             " bytes (--max-url-bytes / FASTINTENT_MAX_URL_BYTES)";
    case Rejection::kHeaderTooLarge:
      return "request head over the limit of " + std::to_string(limits.max_header_bytes) +
             " bytes (--max-header-bytes / FASTINTENT_MAX_HEADER_BYTES)";
    case Rejection::kHeaderLineTooLong:
      return "a header field is over the limit of " + std::to_string(limits.max_header_line_bytes) +
             " bytes (--max-header-line-bytes / FASTINTENT_MAX_HEADER_LINE_BYTES)";
    case Rejection::kTooManyHeaders:
      return "more than " + std::to_string(limits.max_header_count) +
             " header fields (--max-header-count / FASTINTENT_MAX_HEADER_COUNT)";
    case Rejection::kHeaderTimeout:
      return "the request head did not arrive within " + std::to_string(limits.header_timeout_ms) +
             " ms (--header-timeout-ms / FASTINTENT_HEADER_TIMEOUT_MS)";
    case Rejection::kBodyTimeout:
      return "the request body did not arrive within " + std::to_string(limits.body_timeout_ms) +
             " ms (--body-timeout-ms / FASTINTENT_BODY_TIMEOUT_MS)";
    case Rejection::kLengthRequired:
      return "a request with a body needs Content-Length or Transfer-Encoding: chunked";
    case Rejection::kUnsupportedEncoding:
      return limits.max_inflated_body_bytes == 0
                 ? "Content-Encoding: compressed request bodies are refused (--max-inflated-body-bytes is 0); send "
                   "identity"
                 : "Content-Encoding: expected identity, gzip or deflate (one coding)";
    case Rejection::kTransferEncoding:
      return "Transfer-Encoding: only chunked is supported";
    case Rejection::kNone:
    case Rejection::kBadRequest:
      break;
  }
  return "the HTTP request could not be parsed";
}

template <class Stream>
class Connection final : public ConnectionBase {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  Connection(tcp::socket socket, const ListenerContext& context)
      : context_(context),
        executor_(socket.get_executor()),
        timer_(executor_),
        buffer_(context.limits.max_header_bytes) {
    if constexpr (kTls) {
      stream_.emplace(std::move(socket), *context.tls);
    } else {
      stream_.emplace(std::move(socket));
    }
  }

  void Start() override {
    error_code ec;
    const auto remote = Socket().remote_endpoint(ec);
    if (!ec) {
      remote_address_ = remote.address().to_string();
      remote_port_ = remote.port();
    }
    if constexpr (kTls) {
      phase_ = Phase::kHandshake;
      SetDeadline(Clock::now() + std::chrono::milliseconds(context_.limits.header_timeout_ms));
      stream_->async_handshake(asio::ssl::stream_base::server, [self = Self()](const error_code& error) {
        if (self->phase_ == Phase::kClosed) return;
        if (error) {
          self->context_.metrics->CountRejection("tls_handshake");
          self->Close();
          return;
        }
        self->StartRequest();
      });
    } else {
      StartRequest();
    }
  }

  void OnListenerClosed() override {
    asio::post(executor_, [self = Self()] {
      self->listener_closed_ = true;
      if (self->phase_ == Phase::kHandshake || self->phase_ == Phase::kIdle ||
          (self->phase_ == Phase::kHead && self->request_bytes_ == 0)) {
        self->Close();
      }
    });
  }

  void ForceClose() override {
    asio::post(executor_, [self = Self()] { self->Close(); });
  }

 private:
  enum class Phase { kHandshake, kIdle, kHead, kBody, kHandling, kWriting, kLinger, kClosed };

  std::shared_ptr<Connection> Self() { return std::static_pointer_cast<Connection>(shared_from_this()); }

  tcp::socket& Socket() {
    if constexpr (kTls) {
      return stream_->next_layer();
    } else {
      return *stream_;
    }
  }

  // One deadline per connection, for the current phase. The timer is re-armed only when a deadline comes earlier
  // than its expiry; otherwise it fires at the old expiry and moves on to the current deadline, so a busy
  // keep-alive connection costs a timer operation every few seconds, not several per request.
  void SetDeadline(Clock::time_point deadline) {
    deadline_ = deadline;
    if (!timer_armed_ || deadline < timer_expiry_) ArmTimer(deadline);
  }

  void ArmTimer(Clock::time_point expiry) {
    const auto generation = ++timer_generation_;
    timer_armed_ = true;
    timer_expiry_ = expiry;
    timer_.expires_at(expiry);
    timer_.async_wait([self = Self(), generation](const error_code& ec) {
      if (ec || generation != self->timer_generation_) return;
      self->timer_armed_ = false;
      if (self->phase_ == Phase::kClosed) return;
      if (self->deadline_ == Clock::time_point::max()) return;  // no deadline now; SetDeadline arms the next one
      if (Clock::now() < self->deadline_) {
        self->ArmTimer(self->deadline_);
      } else {
        self->OnDeadline();
      }
    });
  }

  void StartRequest() {
    parser_.emplace(context_.limits);
    head_bytes_ = 0;
    expect_continue_ = false;
    encoding_ = BodyEncoding::kIdentity;
    request_ = HttpRequest{};
    request_bytes_ = buffer_.size();
    if (request_bytes_ > 0 || served_ == 0) {
      phase_ = Phase::kHead;  // the first request's head is due within the header timeout from the start
      SetDeadline(Clock::now() + std::chrono::milliseconds(context_.limits.header_timeout_ms));
      if (request_bytes_ > 0) {
        Parse();
        return;
      }
    } else {
      phase_ = Phase::kIdle;
      SetDeadline(Clock::now() + std::chrono::seconds(context_.limits.keep_alive_seconds));
    }
    Read();
  }

  void Read() {
    if (reading_) return;
    const std::size_t room = std::min<std::size_t>(65536, buffer_.max_size() - buffer_.size());
    if (room == 0) {
      if (phase_ == Phase::kHandling) return;  // a pipelined request fills the buffer: read on after this answer
      // Only unparsed input fills the buffer: a head (Beast stops it at the header limit first) or, inside a chunked
      // body, a chunk line or trailer section this long.
      Refuse(Rejection::kBadRequest, "a chunk header or the trailer section is over --max-header-bytes");
      return;
    }
    reading_ = true;
    stream_->async_read_some(buffer_.prepare(room),
                             [self = Self()](const error_code& ec, std::size_t bytes) { self->OnRead(ec, bytes); });
  }

  void OnRead(const error_code& ec, std::size_t bytes) {
    reading_ = false;
    if (phase_ == Phase::kClosed) return;
    if (phase_ == Phase::kLinger) {
      lingered_ += bytes;
      if (ec || lingered_ > kLingerBytes) {
        Close();
      } else {
        Read();  // the bytes were read into the buffer's spare room and are dropped
      }
      return;
    }
    if (phase_ == Phase::kHandling || phase_ == Phase::kWriting) {
      // A read ahead while the request is handled or its answer (or a refusal) is written.
      if (ec) {
        peer_done_ = true;
        if (phase_ == Phase::kHandling && waiting_) ClientGone();
        return;
      }
      buffer_.commit(bytes);  // the start of the next request; parsed (within the limits) after this answer
      return;
    }
    if (ec) {
      Close();  // the client closed or reset the connection; an incomplete request has nobody to answer
      return;
    }
    buffer_.commit(bytes);
    request_bytes_ += bytes;
    if (phase_ == Phase::kIdle) {
      phase_ = Phase::kHead;  // the idle keep-alive wait is over: the head is due from its first byte
      SetDeadline(Clock::now() + std::chrono::milliseconds(context_.limits.header_timeout_ms));
    }
    Parse();
  }

  // Feeds the buffered input to the parser. While the head is parsed Beast's eager mode is off, so a call stops
  // exactly at the end of the head and the head's bytes can be counted: Beast's own header limit applies to the
  // input not yet consumed, and complete fields are consumed as they arrive.
  void Parse() {
    error_code ec;
    if (!parser_->is_header_done()) {
      head_bytes_ += Put(ec);
      if (head_bytes_ > context_.limits.max_header_bytes) {
        Refuse(parser_->got_request_line() ? Rejection::kHeaderTooLarge : Rejection::kUrlTooLong);
        return;
      }
      if (ec && ec != http::error::need_more) {
        RefuseParseError(ec);
        return;
      }
      if (!parser_->is_header_done()) {
        Read();
        return;
      }
      if (!CheckHead()) return;
      phase_ = Phase::kBody;  // the whole body is due within the body timeout
      SetDeadline(Clock::now() + std::chrono::milliseconds(context_.limits.body_timeout_ms));
      parser_->eager(true);
      if (expect_continue_ && !parser_->is_done()) {
        SendContinue();
        return;
      }
    }
    if (!parser_->is_done()) {
      Put(ec);
      if (ec && ec != http::error::need_more) {
        RefuseParseError(ec);
        return;
      }
    }
    if (parser_->is_done()) {
      Dispatch();
      return;
    }
    Read();
  }

  // One parser call over the buffered input; returns the bytes it consumed.
  std::size_t Put(error_code& ec) {
    if (buffer_.size() == 0) {
      ec = http::error::need_more;
      return 0;
    }
    const std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    return used;
  }

  void RefuseParseError(const error_code& ec) {
    if (parser_->violation() != Rejection::kNone) {
      Refuse(parser_->violation());
    } else if (ec == http::error::header_limit) {
      // No complete request line within the limit: the target is what is long.
      Refuse(parser_->got_request_line() ? Rejection::kHeaderTooLarge : Rejection::kUrlTooLong);
    } else if (ec == http::error::body_limit) {
      Refuse(Rejection::kBodyTooLarge);
    } else {
      Refuse(Rejection::kBadRequest, "the HTTP request could not be parsed: " + ec.message());
    }
  }

  // The head is complete: checks that need all of it. False when the request was refused.
  bool CheckHead() {
    keep_alive_ = parser_->keep_alive();
    std::size_t encodings = 0;
    for (const auto& [name, value] : parser_->headers()) {
      if (EqualsIgnoringCase(name, "transfer-encoding") && !EqualsIgnoringCase(TrimBlanks(value), "chunked")) {
        Refuse(Rejection::kTransferEncoding);
        return false;
      }
      if (EqualsIgnoringCase(name, "content-encoding")) {
        ++encodings;
        encoding_ = ParseContentEncoding(value);
      }
      if (EqualsIgnoringCase(name, "expect") && EqualsIgnoringCase(TrimBlanks(value), "100-continue") &&
          parser_->version() == 11) {
        expect_continue_ = true;
      }
    }
    if (encodings > 1 || encoding_ == BodyEncoding::kUnsupported ||
        (encoding_ != BodyEncoding::kIdentity && context_.limits.max_inflated_body_bytes == 0)) {
      Refuse(Rejection::kUnsupportedEncoding);
      return false;
    }
    const std::string_view method = parser_->method();
    if ((method == "POST" || method == "PUT" || method == "PATCH") && !parser_->content_length() &&
        !parser_->chunked()) {
      Refuse(Rejection::kLengthRequired);
      return false;
    }
    return true;
  }

  void SendContinue() {
    continue_in_flight_ = true;
    asio::async_write(*stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = Self()](const error_code& ec, std::size_t) {
                        self->continue_in_flight_ = false;
                        if (self->phase_ == Phase::kClosed) return;
                        if (ec) {
                          self->Close();
                          return;
                        }
                        self->Parse();
                      });
  }

  // Copies the request line and id from the parser, for a refusal's log line, metrics label and body.
  void FillFromParser() {
    if (!request_.method.empty() || !parser_) return;
    request_.method = std::string(parser_->method());
    request_.target = std::string(parser_->target());
    request_.path = request_.target.substr(0, request_.target.find('?'));
    for (const auto& [name, value] : parser_->headers()) {
      if (EqualsIgnoringCase(name, "x-request-id") && IsUsableRequestId(value)) request_.request_id = value;
    }
  }

  void Dispatch() {
    phase_ = Phase::kHandling;
    deadline_ = Clock::time_point::max();
    parser_->TakeInto(request_);
    request_.remote_address = remote_address_;
    request_.remote_port = remote_port_;
    const std::string_view given_id = request_.Header("X-Request-Id");
    request_.request_id = IsUsableRequestId(given_id) ? std::string(given_id) : NewRequestId();
    if (encoding_ != BodyEncoding::kIdentity) {
      std::string inflated;
      switch (Inflate(request_.body, encoding_, context_.limits.max_inflated_body_bytes, inflated)) {
        case InflateResult::kOk:
          request_.body = std::move(inflated);
          break;
        case InflateResult::kTooLarge:
          Refuse(Rejection::kInflatedTooLarge);
          return;
        case InflateResult::kCorrupt:
          Refuse(Rejection::kBadRequest, "the body does not inflate: damaged or truncated gzip/deflate data");
          return;
      }
    }
    request_.received = Clock::now();
    HandlerResult result;
    try {
      result = context_.handler->Handle(request_);
    } catch (...) {
      result = ErrorResponse(ToHttpError(std::current_exception()), request_.request_id);
    }
    if (auto* response = std::get_if<HttpResponse>(&result)) {
      Send(std::move(*response));
      return;
    }
    deferred_ = std::move(std::get<DeferredResponse>(result));
    waiting_ = true;
    SetDeadline(deferred_.deadline);
    deferred_.pending->OnDone([self = Self()] { asio::post(self->executor_, [self] { self->OnPendingDone(); }); });
    // Read ahead while the batcher works: the end of the stream (the client closed, reset or half-closed its
    // connection) means nobody waits for the answer, and its texts are dropped; bytes are the start of a pipelined
    // request, parsed after this answer. The same read then serves the next request.
    Read();
  }

  void OnPendingDone() {
    if (!waiting_ || phase_ != Phase::kHandling) return;
    waiting_ = false;
    deferred_.pending.reset();
    HttpResponse response = deferred_.finish();
    deferred_ = DeferredResponse{};
    Send(std::move(response));
  }

  void OnDeadline() {
    switch (phase_) {
      case Phase::kHandshake:
        context_.metrics->CountRejection("header_timeout");
        Close();
        return;
      case Phase::kIdle:
      case Phase::kLinger:
        Close();
        return;
      case Phase::kHead:
        Refuse(Rejection::kHeaderTimeout);
        return;
      case Phase::kBody:
        if (continue_in_flight_) {  // no second write while the interim answer is still going out
          context_.metrics->CountRejection(Describe(Rejection::kBodyTimeout).reason);
          Close();
        } else {
          Refuse(Rejection::kBodyTimeout);
        }
        return;
      case Phase::kHandling:
        if (waiting_) {  // --request-timeout-ms
          waiting_ = false;
          deferred_.pending->Cancel();
          HttpResponse response = deferred_.timed_out();
          deferred_ = DeferredResponse{};
          Send(std::move(response));
        }
        return;
      case Phase::kWriting:
        context_.metrics->CountRejection("write_timeout");
        Close();
        return;
      case Phase::kClosed:
        return;
    }
  }

  // The read-ahead of a waiting request found the end of the stream: nobody is left to read the answer.
  void ClientGone() {
    waiting_ = false;
    deferred_.pending->Cancel();
    const HttpResponse gone = deferred_.client_gone();
    context_.handler->Record(request_, gone);
    Close();
  }

  void Refuse(Rejection rejection, std::string message = {}) {
    const RejectionInfo info = Describe(rejection);
    context_.metrics->CountRejection(info.reason);
    FillFromParser();
    if (request_.request_id.empty()) request_.request_id = NewRequestId();
    request_.remote_address = remote_address_;
    request_.remote_port = remote_port_;
    if (message.empty()) message = LimitMessage(rejection, context_.limits);
    close_after_ = true;  // the rest of the input cannot be trusted to be a request
    Send(ErrorResponse(HttpError{info.status, info.code, std::move(message), ""}, request_.request_id));
  }

  void Send(HttpResponse response) {
    phase_ = Phase::kWriting;
    SetDeadline(Clock::now() + std::chrono::milliseconds(context_.limits.write_timeout_ms));
    close_after_ = close_after_ || !keep_alive_ || listener_closed_ || context_.draining->load();
    response_ = std::move(response);
    const bool head = request_.method == "HEAD";
    std::string& out = head_buffer_;
    out.clear();
    out += "HTTP/1.1 ";
    out += std::to_string(response_.status);
    out += ' ';
    out += ReasonPhrase(response_.status);
    out += "\r\n";
    if (!response_.content_type.empty()) {
      out += "Content-Type: ";
      out += response_.content_type;
      out += "\r\n";
    }
    out += "Content-Length: ";
    out += std::to_string(response_.body.size());
    out += "\r\n";
    for (const auto& [name, value] : response_.headers) {
      out += name;
      out += ": ";
      out += value;
      out += "\r\n";
    }
    if (!request_.request_id.empty()) {
      out += "X-Request-Id: ";
      out += request_.request_id;
      out += "\r\n";
    }
    if (close_after_) {
      out += "Connection: close\r\n";
    } else if (parser_ && parser_->version() == 10) {
      out += "Connection: keep-alive\r\n";
    }
    out += "\r\n";
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(out),
                                                    head ? asio::const_buffer() : asio::buffer(response_.body)};
    asio::async_write(*stream_, buffers, [self = Self()](const error_code& ec, std::size_t) { self->OnWritten(ec); });
  }

  void OnWritten(const error_code& ec) {
    if (phase_ == Phase::kClosed) return;
    context_.handler->Record(request_, response_);
    ++served_;
    response_ = HttpResponse{};
    if (ec || peer_done_) {
      Close();
    } else if (close_after_) {
      EndGracefully();
    } else {
      StartRequest();
    }
  }

  // After the last answer: stop sending (plain TCP) and drain what the client still sends for a moment, so that
  // closing with unread input (which resets the connection) cannot destroy the answer before the client has read
  // it — a client that sends a whole body after an early 413 reads the 413 once it has sent it.
  void EndGracefully() {
    phase_ = Phase::kLinger;
    SetDeadline(Clock::now() + kLingerTime);
    if constexpr (!kTls) {
      error_code ignored;
      Socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    buffer_.consume(buffer_.size());
    Read();  // a read still outstanding completes in the linger phase as well
  }

  void Close() {
    if (phase_ == Phase::kClosed) return;
    phase_ = Phase::kClosed;
    ++timer_generation_;
    timer_.cancel();
    if (waiting_) {
      waiting_ = false;
      deferred_.pending->Cancel();  // its texts still queued are dropped
    }
    deferred_ = DeferredResponse{};
    error_code ignored;
    Socket().close(ignored);  // outstanding operations complete with operation_aborted and see kClosed
    context_.on_closed(this);
  }

  const ListenerContext& context_;
  asio::any_io_executor executor_;  // the connection's strand
  std::optional<Stream> stream_;
  asio::steady_timer timer_;
  std::uint64_t timer_generation_ = 0;
  bool timer_armed_ = false;
  Clock::time_point timer_expiry_{};
  Clock::time_point deadline_ = Clock::time_point::max();  // of the current phase
  boost::beast::flat_buffer buffer_;                       // unparsed input; at most --max-header-bytes
  std::optional<RequestParser> parser_;
  Phase phase_ = Phase::kHead;
  bool reading_ = false;
  bool expect_continue_ = false;
  bool continue_in_flight_ = false;
  bool keep_alive_ = false;
  bool close_after_ = false;
  bool listener_closed_ = false;
  bool waiting_ = false;
  bool peer_done_ = false;  // the client ended its side of the connection
  BodyEncoding encoding_ = BodyEncoding::kIdentity;
  std::size_t request_bytes_ = 0;  // bytes of the current request received so far
  std::size_t head_bytes_ = 0;     // bytes of the current request's head parsed so far
  std::size_t served_ = 0;         // responses written on this connection
  std::size_t lingered_ = 0;
  std::string remote_address_;
  int remote_port_ = 0;
  HttpRequest request_;
  DeferredResponse deferred_;
  HttpResponse response_;  // being written
  std::string head_buffer_;
};

}  // namespace

std::shared_ptr<ConnectionBase> MakeConnection(tcp::socket socket, const ListenerContext& context) {
  if (context.tls != nullptr) {
    return std::make_shared<Connection<asio::ssl::stream<tcp::socket>>>(std::move(socket), context);
  }
  return std::make_shared<Connection<tcp::socket>>(std::move(socket), context);
}

}  // namespace fastintent::serve

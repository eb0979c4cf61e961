#include "http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace tt::bench {

namespace {
// Errors are expected outcomes here (server gone, timeouts): no exceptions on that path.
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

std::string describe(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return "timeout";
  if (ec == http::error::end_of_stream || ec == asio::error::eof) return "closed by server";
  return ec.message();
}
}  // namespace

std::string cookie_pair(std::string_view set_cookie) {
  const auto semi = set_cookie.find(';');
  auto pair = set_cookie.substr(0, semi);
  while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
  while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
  return std::string(pair);
}

HttpClient::HttpClient(asio::any_io_executor ex, tcp::endpoint endpoint, const Credentials& credentials)
    : stream_(std::move(ex)), endpoint_(endpoint) {
  req_.version(11);
  req_.set(http::field::host, endpoint.address().to_string() + ":" + std::to_string(endpoint.port()));
  req_.set(http::field::user_agent, "tt_loadgen");
  req_.set(http::field::accept, "application/json");
  if (!credentials.bearer_token.empty()) {
    req_.set(http::field::authorization, "Bearer " + credentials.bearer_token);
  }
  if (!credentials.cookie.empty()) req_.set(http::field::cookie, credentials.cookie);
  // Sent on every request: reads ignore it, and setting it once keeps the header list fixed.
  if (!credentials.csrf_token.empty()) req_.set("X-CSRF-Token", credentials.csrf_token);
}

void HttpClient::close() {
  boost::system::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
  buffer_.clear();
  connected_ = false;
}

asio::awaitable<std::string> HttpClient::connect(Clock::time_point deadline) {
  if (connected_) co_return std::string{};
  if (ever_connected_) ++reconnects_;
  stream_.expires_at(deadline);
  auto [ec] = co_await stream_.async_connect(endpoint_, nothrow);
  if (ec) {
    close();
    co_return "connect: " + describe(ec);
  }
  // Small requests and answers: without this, Nagle's algorithm adds delayed-ACK stalls.
  stream_.socket().set_option(tcp::no_delay(true), ec);
  connected_ = true;
  ever_connected_ = true;
  co_return std::string{};
}

asio::awaitable<Exchange> HttpClient::exchange(bool post, std::string_view target, std::string_view body,
                                               Clock::time_point deadline) {
  Exchange out;
  if (!connected_) {
    auto err = co_await connect(deadline);
    if (!err.empty()) {
      out.error = std::move(err);
      co_return out;
    }
  }
  req_.method(post ? http::verb::post : http::verb::get);
  req_.target(target);
  if (post) {
    req_.set(http::field::content_type, "application/json");
    req_.body().assign(body.data(), body.size());
  } else {
    req_.erase(http::field::content_type);
    req_.body().clear();
  }
  req_.prepare_payload();

  stream_.expires_at(deadline);
  auto [wec, written] = co_await http::async_write(stream_, req_, nothrow);
  if (wec) {
    close();
    out.error = "write: " + describe(wec);
    out.timed_out = wec == beast::error::timeout;
    co_return out;
  }
  res_ = {};
  auto [rec, read] = co_await http::async_read(stream_, buffer_, res_, nothrow);
  if (rec) {
    close();
    out.error = "read: " + describe(rec);
    out.timed_out = rec == beast::error::timeout;
    co_return out;
  }
  out.status = static_cast<int>(res_.result_int());
  if (!res_.keep_alive()) close();
  co_return out;
}

}  // namespace tt::bench

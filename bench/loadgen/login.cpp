#include "login.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

namespace tt::bench {

asio::awaitable<std::variant<Credentials, LoginFailure>> login(tcp::endpoint endpoint, Account account,
                                                               Clock::duration timeout) {
  const Credentials none;
  HttpClient client(co_await asio::this_coro::executor, endpoint, none);
  const std::string body = nlohmann::json{{"username", account.username}, {"password", account.password}}.dump();
  auto x = co_await client.exchange(true, "/api/v1/auth/login", body, Clock::now() + timeout);
  const std::string who = "login as '" + account.username + "': ";
  if (x.status == 0) co_return LoginFailure{who + x.error};
  const auto& res = client.response();
  if (x.status != 200) co_return LoginFailure{who + "HTTP " + std::to_string(x.status) + " " + res.body()};

  Credentials c;
  // The session cookie, whatever its name; prefer tt_session when several are set.
  for (const auto& field : res) {
    if (field.name() != http::field::set_cookie) continue;
    auto pair = cookie_pair(field.value());
    if (c.cookie.empty() || pair.rfind("tt_session=", 0) == 0) c.cookie = std::move(pair);
  }
  if (c.cookie.empty()) co_return LoginFailure{who + "no Set-Cookie in the answer"};
  auto parsed = nlohmann::json::parse(res.body(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("csrf_token") ||
      !parsed["csrf_token"].is_string()) {
    co_return LoginFailure{who + "no csrf_token in the answer: " + res.body()};
  }
  c.csrf_token = parsed["csrf_token"].get<std::string>();
  co_return c;
}

}  // namespace tt::bench

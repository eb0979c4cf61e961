// The request pipeline (Dispatcher): 404/405, authentication, roles, CSRF on cookie-authenticated
// writes, and the mapping of failures to JSON errors. The database is never reached here: a
// stand-in refuses every use, and a scripted authenticator decides who is calling.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>

#include "api/error_status.hpp"
#include "accounts/authenticator.hpp"
#include "http/dispatcher.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "storage/database.hpp"
#include "support/run_coroutine.hpp"

using namespace tt;
using http::Access;
using http::Request;
using http::Response;

namespace {

class NoDatabase final : public storage::Database {
 public:
  storage::Dialect dialect() const noexcept override { return storage::Dialect::sqlite; }
  http::asio::awaitable<void> ping() override { throw storage::DbError("no database in this test"); }
  void close() override {}
  std::string describe() const override { return "none"; }

 protected:
  http::asio::awaitable<void> run_write(Job, storage::WriteOptions) override { throw storage::DbError("no database in this test"); }
  http::asio::awaitable<void> run_read(Job) override { throw storage::DbError("no database in this test"); }
};

class ScriptedAuthenticator final : public accounts::Authenticator {
 public:
  std::optional<accounts::Principal> caller;
  int calls = 0;
  boost::asio::awaitable<std::optional<accounts::Principal>> authenticate(accounts::Presented) override {
    ++calls;
    co_return caller;
  }
};

accounts::Principal user(domain::Role role, accounts::Principal::Via via) {
  accounts::Principal p;
  p.user_id = 7;
  p.username = "pat";
  p.role = role;
  p.via = via;
  if (via == accounts::Principal::Via::session_cookie) p.csrf_token = "csrf-token-1234";
  return p;
}

http::asio::awaitable<Response> ok(http::RequestContext& ctx) {
  co_return http::json_response(200, {{"user", ctx.user ? ctx.user->username : ""},
                                      {"code", ctx.req.params.count("code") ? ctx.req.param("code") : ""}});
}

http::asio::awaitable<Response> ping(storage::Database& db) {
  co_await db.ping();
  co_return Response{};
}

struct Fixture {
  NoDatabase db;
  ScriptedAuthenticator authenticator;
  bool with_authenticator = true;
  http::Router router;

  Fixture() {
    router.add("GET", "/public", Access::public_route(), ok);
    router.add("GET", "/bags/{code}", Access::any_user(), ok);
    router.add("POST", "/bags/{code}", Access::any_user(), ok);
    router.add("DELETE", "/bags/{code}", Access::roles({domain::Role::admin}), ok);
    router.add("GET", "/fail/api", Access::public_route(), [](http::RequestContext&) -> http::asio::awaitable<Response> {
      throw domain::Failure(domain::Error::on_another_bill, "The parent is on another bill.", 30);
      co_return Response{};
    });
    router.add("GET", "/fail/unavailable", Access::public_route(),
               [](http::RequestContext&) -> http::asio::awaitable<Response> {
                 throw storage::Unavailable("pool exhausted");
                 co_return Response{};
               });
    router.add("GET", "/fail/internal", Access::public_route(),
               [](http::RequestContext&) -> http::asio::awaitable<Response> {
                 throw std::runtime_error("secret detail: disk path /var/x");
                 co_return Response{};
               });
    router.add("GET", "/fail/db", Access::public_route(), [this](http::RequestContext&) { return ping(db); });
  }

  Response send(std::string method, std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.path = http::percent_decode(req.target.substr(0, req.target.find('?')), false);
    req.headers = std::move(headers);
    const http::Dispatcher dispatcher(router, with_authenticator ? &authenticator : nullptr, api::http_status);
    return test::run_here(dispatcher.handle(req));
  }
};

std::string error_code(const Response& r) { return nlohmann::json::parse(r.body)["error"]["code"]; }

}  // namespace

TEST_CASE("dispatcher: unknown path is 404 not_found") {
  Fixture f;
  const auto r = f.send("GET", "/nowhere");
  CHECK(r.status == 404);
  CHECK(error_code(r) == "not_found");
  CHECK(f.authenticator.calls == 0);
}

TEST_CASE("dispatcher: known path, other method is 405 with Allow") {
  Fixture f;
  const auto r = f.send("PUT", "/bags/SB1");
  CHECK(r.status == 405);
  CHECK(error_code(r) == "method_not_allowed");
  REQUIRE(r.headers.size() == 1);
  CHECK(r.headers[0].first == "Allow");
  CHECK(r.headers[0].second == "GET, POST, DELETE");
}

TEST_CASE("dispatcher: public routes run without asking for credentials") {
  Fixture f;
  const auto r = f.send("GET", "/public");
  CHECK(r.status == 200);
  CHECK(f.authenticator.calls == 0);
}

TEST_CASE("dispatcher: no credentials on a user route is 401") {
  Fixture f;
  const auto r = f.send("GET", "/bags/SB1");
  CHECK(r.status == 401);
  CHECK(error_code(r) == "unauthenticated");
}

TEST_CASE("dispatcher: without an authenticator nobody is signed in") {
  Fixture f;
  f.with_authenticator = false;
  CHECK(f.send("GET", "/bags/SB1").status == 401);
  CHECK(f.send("GET", "/public").status == 200);
}

TEST_CASE("dispatcher: a signed-in user reaches the handler with path parameters") {
  Fixture f;
  f.authenticator.caller = user(domain::Role::dispatcher, accounts::Principal::Via::api_token);
  const auto r = f.send("GET", "/bags/SB%2012");
  CHECK(r.status == 200);
  const auto j = nlohmann::json::parse(r.body);
  CHECK(j["user"] == "pat");
  CHECK(j["code"] == "SB 12");
}

TEST_CASE("dispatcher: a role outside the route's set is 403 forbidden") {
  Fixture f;
  f.authenticator.caller = user(domain::Role::biller, accounts::Principal::Via::api_token);
  const auto r = f.send("DELETE", "/bags/SB1");
  CHECK(r.status == 403);
  CHECK(error_code(r) == "forbidden");
  f.authenticator.caller = user(domain::Role::admin, accounts::Principal::Via::api_token);
  CHECK(f.send("DELETE", "/bags/SB1").status == 200);
}

TEST_CASE("dispatcher: cookie-authenticated writes need the CSRF token") {
  Fixture f;
  f.authenticator.caller = user(domain::Role::admin, accounts::Principal::Via::session_cookie);
  CHECK(f.send("GET", "/bags/SB1").status == 200);  // reads need no token

  const auto missing = f.send("POST", "/bags/SB1");
  CHECK(missing.status == 403);
  CHECK(error_code(missing) == "csrf_failed");

  const auto wrong = f.send("POST", "/bags/SB1", {{"x-csrf-token", "csrf-token-1235"}});
  CHECK(wrong.status == 403);
  CHECK(error_code(wrong) == "csrf_failed");

  CHECK(f.send("POST", "/bags/SB1", {{"x-csrf-token", "csrf-token-1234"}}).status == 200);
  CHECK(f.send("DELETE", "/bags/SB1", {{"x-csrf-token", "csrf-token-1234"}}).status == 200);
}

TEST_CASE("dispatcher: bearer-token writes need no CSRF token") {
  Fixture f;
  f.authenticator.caller = user(domain::Role::admin, accounts::Principal::Via::api_token);
  CHECK(f.send("POST", "/bags/SB1").status == 200);
}

TEST_CASE("dispatcher: a failure gets the status of its code, its code, and Retry-After when it says when") {
  Fixture f;
  const auto r = f.send("GET", "/fail/api");
  CHECK(r.status == 409);
  CHECK(error_code(r) == "on_another_bill");
  REQUIRE(r.headers.size() == 1);
  CHECK(r.headers[0].first == "Retry-After");
  CHECK(r.headers[0].second == "30");
}

TEST_CASE("error codes: each has the status SPEC §4 gives it, and its name") {
  using E = domain::Error;
  const std::pair<E, int> statuses[] = {
      {E::invalid_request, 400}, {E::invalid_json, 400},   {E::unauthenticated, 401}, {E::invalid_credentials, 401},
      {E::forbidden, 403},       {E::csrf_failed, 403},    {E::not_found, 404},       {E::method_not_allowed, 405},
      {E::parent_full, 409},     {E::linked_elsewhere, 409}, {E::bill_full, 409},    {E::payload_too_large, 413},
      {E::invalid_code, 422},    {E::not_a_child, 422},    {E::too_many_attempts, 429}, {E::headers_too_large, 431},
      {E::internal, 500},        {E::busy, 503},           {E::unavailable, 503},     {E::timeout, 503},
  };
  for (const auto& [code, status] : statuses) {
    CAPTURE(domain::to_string(code));
    CHECK(api::http_status(code) == status);
  }
  CHECK(domain::to_string(E::parent_full) == "parent_full");
  CHECK(domain::to_string(E::not_a_parent) == "not_a_parent");
}

TEST_CASE("dispatcher: storage::Unavailable becomes 503 with Retry-After") {
  Fixture f;
  const auto r = f.send("GET", "/fail/unavailable");
  CHECK(r.status == 503);
  CHECK(error_code(r) == "unavailable");
  REQUIRE(r.headers.size() == 1);
  CHECK(r.headers[0].first == "Retry-After");
  CHECK(r.headers[0].second == "1");
}

TEST_CASE("dispatcher: any other failure is 500 internal, without its details") {
  Fixture f;
  for (const char* target : {"/fail/internal", "/fail/db"}) {
    CAPTURE(target);
    const auto r = f.send("GET", target);
    CHECK(r.status == 500);
    CHECK(error_code(r) == "internal");
    CHECK(r.body.find("secret") == std::string::npos);
    CHECK(r.body.find("no database") == std::string::npos);
  }
}

TEST_CASE("static files: embedded names only, with type, ETag and 304") {
  Fixture f;
  const embedded::File files[] = {{"index.html", "<h1>TraceTrack</h1>", ""}, {"js/app.js", "let x = 1;", ""}};
  http::add_static_routes(f.router, files);

  const auto root = f.send("GET", "/");
  CHECK(root.status == 200);
  CHECK(root.content_type == "text/html; charset=utf-8");
  CHECK(root.body == "<h1>TraceTrack</h1>");
  std::string etag;
  for (const auto& [name, value] : root.headers) {
    if (name == "ETag") etag = value;
  }
  REQUIRE(etag.size() > 2);

  const auto js = f.send("GET", "/js/app.js");
  CHECK(js.status == 200);
  CHECK(js.content_type == "text/javascript; charset=utf-8");

  CHECK(f.send("GET", "/index.html", {{"if-none-match", etag}}).status == 304);
  CHECK(f.send("GET", "/index.html", {{"if-none-match", "W/" + etag}}).status == 304);
  CHECK(f.send("GET", "/index.html", {{"if-none-match", "\"other\", " + etag}}).status == 304);
  CHECK(f.send("GET", "/index.html", {{"if-none-match", "\"other\""}}).status == 200);

  for (const char* target : {"/js%2Fapp.js", "/js/../index.html", "/../index.html", "/js", "/app.js"}) {
    CAPTURE(target);
    CHECK(f.send("GET", target).status == 404);
  }
}

std::string header_of(const http::Response& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

TEST_CASE("static files: the gzip copy for browsers that accept it, with its own ETag") {
  Fixture f;
  const embedded::File files[] = {{"app.js", "plain bytes", "gzip bytes"}, {"logo.png", "png", ""}};
  http::add_static_routes(f.router, files);
  const auto plain = f.send("GET", "/app.js");
  CHECK(plain.body == "plain bytes");
  CHECK(header_of(plain, "Content-Encoding").empty());
  CHECK(header_of(plain, "Vary") == "Accept-Encoding");
  const auto packed = f.send("GET", "/app.js", {{"accept-encoding", "gzip, deflate, br"}});
  CHECK(packed.body == "gzip bytes");
  CHECK(header_of(packed, "Content-Encoding") == "gzip");
  CHECK(header_of(packed, "ETag") != header_of(plain, "ETag"));
  CHECK(f.send("GET", "/app.js", {{"accept-encoding", "gzip"}, {"if-none-match", header_of(packed, "ETag")}}).status ==
        304);
  // The plain tag does not validate the compressed copy.
  CHECK(f.send("GET", "/app.js", {{"accept-encoding", "gzip"}, {"if-none-match", header_of(plain, "ETag")}}).status ==
        200);
  const auto png = f.send("GET", "/logo.png", {{"accept-encoding", "gzip"}});
  CHECK(png.body == "png");
  CHECK(header_of(png, "Vary").empty());
}

TEST_CASE("static files: Accept-Encoding") {
  CHECK(http::accepts_gzip("gzip"));
  CHECK(http::accepts_gzip("deflate, gzip;q=0.5"));
  CHECK(http::accepts_gzip("*"));
  CHECK(http::accepts_gzip(" GZip"));  // content codings are case-insensitive
  CHECK_FALSE(http::accepts_gzip(""));
  CHECK_FALSE(http::accepts_gzip("br, deflate"));
  CHECK_FALSE(http::accepts_gzip("gzip;q=0"));
  CHECK_FALSE(http::accepts_gzip("gzip; q=0.000"));
  CHECK(http::accepts_gzip("gzip;q=0.001"));
}

TEST_CASE("static files: page addresses serve the application with its security policy") {
  Fixture f;
  const embedded::File files[] = {{"index.html", "<main>app</main>", ""}, {"app.js", "1", ""}};
  http::add_static_routes(f.router, files);
  const std::string_view pages[] = {"/scan", "/trace/{code}"};
  http::add_page_routes(f.router, files, "index.html", pages);
  for (const char* target : {"/", "/scan", "/trace/SB12345", "/trace/%22%3E%3Csvg%3E"}) {
    CAPTURE(target);
    const auto page = f.send("GET", target);
    CHECK(page.status == 200);
    CHECK(page.body == "<main>app</main>");
    CHECK(header_of(page, "Content-Security-Policy") == http::kPageSecurityPolicy);
  }
  CHECK(header_of(f.send("GET", "/app.js"), "Content-Security-Policy").empty());
  // Another address: the application with 404 for a browser, the JSON error for anyone else.
  const auto browser = f.send("GET", "/no/such/page", {{"accept", "text/html,application/xhtml+xml"}});
  CHECK(browser.status == 404);
  CHECK(browser.body == "<main>app</main>");
  const auto script = f.send("GET", "/no/such/page");
  CHECK(script.status == 404);
  CHECK(script.body.find("not_found") != std::string::npos);
  CHECK(f.send("GET", "/api/v1/nothing", {{"accept", "text/html"}}).body.find("not_found") != std::string::npos);
  CHECK(f.send("POST", "/no/such/page", {{"accept", "text/html"}}).body.find("not_found") != std::string::npos);
  const embedded::File no_html[] = {{"app.js", "1", ""}};
  const std::string_view scan_only[] = {"/scan"};
  CHECK_THROWS(http::add_page_routes(f.router, no_html, "index.html", scan_only));
}

TEST_CASE("static files: content types") {
  CHECK(http::content_type_for("a.css") == "text/css; charset=utf-8");
  CHECK(http::content_type_for("icon.svg") == "image/svg+xml");
  CHECK(http::content_type_for("x.png") == "image/png");
  CHECK(http::content_type_for("manifest.webmanifest") == "application/manifest+json");
  CHECK(http::content_type_for("unknown.bin") == "application/octet-stream");
}

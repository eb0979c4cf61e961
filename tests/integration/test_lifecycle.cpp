// Start-up and shutdown of the real server: SIGTERM finishes requests in progress and exits 0,
// and the access log has one line per request.
#include <doctest/doctest.h>

#include <signal.h>

#include <regex>
#include <string>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace tt::test;

TEST_CASE("SIGTERM on an idle server exits with code 0") {
  ScratchServer s;
  auto client = s.process.client();
  CHECK(client.get("/healthz").status == 200);
  CHECK(s.process.stop() == 0);
}

TEST_CASE("SIGINT also stops the server cleanly") {
  ScratchServer s;
  s.process.signal(SIGINT);
  const auto code = s.process.wait_exit(std::chrono::seconds(30));
  REQUIRE(code.has_value());
  CHECK(*code == 0);
}

TEST_CASE("SIGTERM closes idle keep-alive connections") {
  ScratchServer s;
  RawConnection raw(s.process.host(), s.process.port());
  REQUIRE(raw.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  REQUIRE(raw.read_response().has_value());
  s.process.signal(SIGTERM);
  CHECK(raw.wait_closed(std::chrono::seconds(20)));
  const auto code = s.process.wait_exit(std::chrono::seconds(30));
  REQUIRE(code.has_value());
  CHECK(*code == 0);
}

TEST_CASE("SIGTERM during a request in flight: the response completes, then the server exits with code 0") {
  ScratchServer s;
  RawConnection raw(s.process.host(), s.process.port());
  // A first exchange proves the connection is accepted and served.
  REQUIRE(raw.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  REQUIRE(raw.read_response().has_value());

  // The next request's headers are in: the interim 100 answer proves the server has read them
  // and waits for the body when the signal arrives...
  REQUIRE(raw.send("POST /api/v1/nothing HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                   "Content-Length: 11\r\nExpect: 100-continue\r\n\r\n{\"a\":"));
  const auto interim = raw.read_response();
  REQUIRE(interim.has_value());
  REQUIRE(interim->status == 100);
  s.process.signal(SIGTERM);
  // ...the server keeps the connection for it and keeps running until the request is answered.
  CHECK_FALSE(s.process.wait_exit(std::chrono::seconds(1)).has_value());
  REQUIRE(raw.send("\"tail\"}"));
  const auto r = raw.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 404);
  CHECK(r->json()["error"]["code"] == "not_found");
  CHECK_FALSE(r->keep_alive);  // a stopping server closes each connection after its response
  CHECK(raw.wait_closed(std::chrono::seconds(20)));

  const auto code = s.process.wait_exit(std::chrono::seconds(30));
  REQUIRE(code.has_value());
  CHECK(*code == 0);
}

TEST_CASE("no new connections are accepted once stopping") {
  ScratchServer s;
  const auto port = s.process.port();
  CHECK(s.process.stop() == 0);
  CHECK_THROWS(HttpClient("127.0.0.1", port));
}

TEST_CASE("one access-log line per request: method, path, status, microseconds") {
  ScratchServer s;
  auto client = s.process.client();
  CHECK(client.get("/healthz").status == 200);
  CHECK(client.get("/api/v1/nothing?q=secret").status == 404);
  CHECK(client.request("POST", "/healthz", "{}").status == 405);
  REQUIRE(s.process.stop() == 0);  // the log is flushed at shutdown
  const std::string out = s.process.output();
  CHECK(std::regex_search(out, std::regex("(^|\n)GET /healthz 200 [0-9]+\n")));
  // The query string stays out of the log.
  CHECK(std::regex_search(out, std::regex("(^|\n)GET /api/v1/nothing 404 [0-9]+\n")));
  CHECK(out.find("secret") == std::string::npos);
  CHECK(std::regex_search(out, std::regex("(^|\n)POST /healthz 405 [0-9]+\n")));
}

TEST_CASE("--no-access-log writes no request lines") {
  ScratchServer s(ServerProcess::Options{{"--no-access-log"}, {}});
  auto client = s.process.client();
  CHECK(client.get("/healthz").status == 200);
  REQUIRE(s.process.stop() == 0);
  CHECK(s.process.output().find("/healthz") == std::string::npos);
}

TEST_CASE("the address line names the port the system chose") {
  ScratchServer s;
  CHECK(s.process.port() != 0);
  CHECK(s.process.output().find("TraceTrack listening on http://127.0.0.1:" + std::to_string(s.process.port())) !=
        std::string::npos);
}

TEST_CASE("a second server on a busy port fails with a message and a non-zero exit code") {
  ScratchServer first;
  ScratchDatabase db;
  const auto result = run_tracetrack(
      {"serve", "--db", db.url(), "--listen", "127.0.0.1:" + std::to_string(first.process.port())});
  CHECK(result.exit_code != 0);
  CHECK(result.output.find("cannot listen on 127.0.0.1:" + std::to_string(first.process.port())) !=
        std::string::npos);
}

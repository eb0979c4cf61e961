// The HTTP layer of the real server: probes, JSON errors for unknown paths and methods, keep-alive,
// HEAD, the embedded web UI and path traversal.
#include <doctest/doctest.h>

#include <string>

#include "depot_fixture.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace tt::test;

TEST_CASE("GET /healthz answers that the process is up") {
  ScratchServer s;
  auto client = s.process.client();
  const auto r = client.get("/healthz");
  CHECK(r.status == 200);
  CHECK(r.header("content-type") == "application/json");
  CHECK(r.json() == nlohmann::json{{"status", "ok"}});
}

TEST_CASE("GET /readyz makes a round trip to the database") {
  ScratchServer s;
  auto client = s.process.client();
  const auto r = client.get("/readyz");
  CHECK(r.status == 200);
  CHECK(r.json() == nlohmann::json{{"status", "ready"}});
}

TEST_CASE("unknown paths are 404 with a JSON error body") {
  ScratchServer s;
  auto client = s.process.client();
  check_error(client.get("/nothing-here"), 404, "not_found");
  check_error(client.get("/api/v1/nothing-here"), 404, "not_found");
  check_error(client.get("/api/v1/bags/SB12345/nothing"), 404, "not_found");
  check_error(client.request("POST", "/api/v2/scans", "{}"), 404, "not_found");
}

TEST_CASE("a known path with another method is 405 with Allow") {
  ScratchServer s;
  auto client = s.process.client();
  const auto r = client.request("POST", "/healthz", "{}");
  check_error(r, 405, "method_not_allowed");
  CHECK(r.header("allow") == "GET");
}

TEST_CASE("an API route that needs a user answers 401 without credentials") {
  ScratchServer s;
  auto client = s.process.client();
  check_error(client.get("/api/v1/auth/me"), 401, "unauthenticated");
}

TEST_CASE("HEAD gets the headers of GET and no body") {
  ScratchServer s;
  auto client = s.process.client();
  const auto get = client.get("/healthz");
  const auto head = client.request("HEAD", "/healthz");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.header("content-length") == std::to_string(get.body.size()));
  // The connection is still usable: the HEAD answer carried no stray body bytes.
  CHECK(client.get("/healthz").status == 200);
  CHECK(client.connections_opened() == 1);
}

TEST_CASE("200 requests on one keep-alive connection") {
  ScratchServer s;
  auto client = s.process.client();
  for (int i = 0; i < 200; ++i) {
    const auto r = client.get(i % 2 == 0 ? "/healthz" : "/readyz");
    REQUIRE(r.status == 200);
    REQUIRE(r.keep_alive);
  }
  CHECK(client.connections_opened() == 1);
}

TEST_CASE("Connection: close is honoured") {
  ScratchServer s;
  RawConnection raw(s.process.host(), s.process.port());
  REQUIRE(raw.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  const auto r = raw.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 200);
  CHECK_FALSE(r->keep_alive);
  CHECK(raw.wait_closed(std::chrono::seconds(10)));
}

TEST_CASE("the web UI is served from the binary") {
  ScratchServer s;
  auto client = s.process.client();
  const auto root = client.get("/");
  CHECK(root.status == 200);
  CHECK(root.header("content-type") == "text/html; charset=utf-8");
  CHECK(root.body.find("TraceTrack") != std::string::npos);
  const auto etag = root.header("etag");
  REQUIRE(etag.has_value());
  CHECK(root.header("cache-control") == "no-cache");

  const auto index = client.get("/index.html");
  CHECK(index.status == 200);
  CHECK(index.body == root.body);
  CHECK(index.header("etag") == etag);

  const auto cached = client.get("/", {{"If-None-Match", *etag}});
  CHECK(cached.status == 304);
  CHECK(cached.body.empty());
  CHECK(client.get("/", {{"If-None-Match", "\"something-else\""}}).status == 200);
}

TEST_CASE("paths cannot escape the web folder") {
  ScratchServer s;
  auto client = s.process.client();
  for (const char* target : {"/../etc/passwd", "/%2e%2e/etc/passwd", "/..%2fetc%2fpasswd", "/%2E%2E%2F%2E%2E%2Fetc/passwd",
                             "/index.html/..", "/web/index.html", "//etc/passwd", "/%2Fetc%2Fpasswd", "/./index.html",
                             "/x/../index.html", "/index.html%00.txt", "/meson.build", "/src/main.cpp",
                             "/..\\..\\etc\\passwd", "/%5c..%5cmeson.build"}) {
    CAPTURE(target);
    check_error(client.get(target), 404, "not_found");
  }
}

TEST_CASE("a request that is not HTTP gets 400 and the connection closes") {
  ScratchServer s;
  RawConnection raw(s.process.host(), s.process.port());
  REQUIRE(raw.send("THIS IS NOT HTTP\r\n\r\n"));
  const auto r = raw.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 400);
  CHECK(r->json()["error"]["code"] == "bad_request");
  CHECK(raw.wait_closed(std::chrono::seconds(10)));
}

TEST_CASE("a request target that is not a path gets 400") {
  ScratchServer s;
  RawConnection raw(s.process.host(), s.process.port());
  REQUIRE(raw.send("GET http://example.com/healthz HTTP/1.1\r\nHost: example.com\r\n\r\n"));
  const auto r = raw.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 400);
}

TEST_CASE("Expect: 100-continue gets its interim answer before the body is sent") {
  ScratchServer s;
  RawConnection raw(s.process.host(), s.process.port());
  REQUIRE(raw.send("POST /api/v1/nothing HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
  const auto interim = raw.read_response();
  REQUIRE(interim.has_value());
  CHECK(interim->status == 100);
  REQUIRE(raw.send("{}"));
  const auto r = raw.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 404);
}

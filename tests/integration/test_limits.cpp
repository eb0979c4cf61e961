// Limits that protect the server from clients: body size (413), header size (431), and the read
// timeout that disconnects slow or silent clients.
#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "support/http_client.hpp"
#include "support/server_process.hpp"

using namespace tt::test;

TEST_CASE("a body over --max-body is refused with 413 and the connection closes") {
  ScratchServer s(ServerProcess::Options{{"--max-body", "1k"}, {}});
  auto client = s.process.client();
  const std::string small(1000, 'x');
  CHECK(client.request("POST", "/api/v1/nothing", small).status == 404);  // within the limit: read and routed

  const std::string big(4096, 'x');
  const auto r = client.request("POST", "/api/v1/nothing", big, {{"Content-Type", "application/json"}});
  CHECK(r.status == 413);
  CHECK(r.json()["error"]["code"] == "payload_too_large");
  CHECK_FALSE(r.keep_alive);
}

TEST_CASE("a declared Content-Length over the limit is refused before the body is sent") {
  ScratchServer s(ServerProcess::Options{{"--max-body", "1k"}, {}});
  RawConnection raw(s.process.host(), s.process.port());
  REQUIRE(raw.send("POST /api/v1/nothing HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n"));
  const auto r = raw.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 413);
  CHECK(r->json()["error"]["code"] == "payload_too_large");
  CHECK(raw.wait_closed(std::chrono::seconds(10)));
}

TEST_CASE("a chunked body that grows over the limit is refused with 413") {
  ScratchServer s(ServerProcess::Options{{"--max-body", "1k"}, {}});
  RawConnection raw(s.process.host(), s.process.port());
  std::string request = "POST /api/v1/nothing HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 4; ++i) request += "200\r\n" + std::string(512, 'x') + "\r\n";
  request += "0\r\n\r\n";
  REQUIRE(raw.send(request));
  const auto r = raw.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 413);
}

TEST_CASE("huge request headers are refused with 431") {
  ScratchServer s;
  RawConnection raw(s.process.host(), s.process.port());
  const std::string filler(64 * 1024, 'a');
  REQUIRE(raw.send("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Filler: " + filler + "\r\n\r\n"));
  const auto r = raw.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 431);
  CHECK(r->json()["error"]["code"] == "headers_too_large");
  CHECK(raw.wait_closed(std::chrono::seconds(10)));
}

TEST_CASE("headers within the limit are accepted") {
  ScratchServer s;
  auto client = s.process.client();
  const auto r = client.get("/healthz", {{"X-Filler", std::string(8 * 1024, 'a')}});
  CHECK(r.status == 200);
}

TEST_CASE("a client that sends half a request and stalls is disconnected after the read timeout") {
  ScratchServer s(ServerProcess::Options{{"--read-timeout", "1"}, {}});
  RawConnection raw(s.process.host(), s.process.port());
  REQUIRE(raw.send("GET /healthz HTTP/1.1\r\nHost: t\r\n"));
  CHECK(raw.wait_closed(std::chrono::seconds(20)));
  // The server itself is unaffected.
  auto client = s.process.client();
  CHECK(client.get("/healthz").status == 200);
}

TEST_CASE("a client that trickles its request byte by byte cannot extend the read timeout") {
  ScratchServer s(ServerProcess::Options{{"--read-timeout", "1"}, {}});
  RawConnection raw(s.process.host(), s.process.port());
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: " + std::string(200, 'a') + "\r\n\r\n";
  bool closed = false;
  // One byte every 50 ms would take over 12 s; the server must cut it off well before the end.
  for (std::size_t i = 0; i < request.size() && !closed; ++i) {
    closed = !raw.send(request.substr(i, 1));
    if (!closed) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK((closed || raw.wait_closed(std::chrono::seconds(20))));
  CHECK_FALSE(raw.read_response(std::chrono::seconds(1)).has_value());
}

TEST_CASE("an idle keep-alive connection is closed after the read timeout") {
  ScratchServer s(ServerProcess::Options{{"--read-timeout", "1"}, {}});
  RawConnection raw(s.process.host(), s.process.port());
  REQUIRE(raw.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  const auto r = raw.read_response();
  REQUIRE(r.has_value());
  CHECK(r->status == 200);
  CHECK(raw.wait_closed(std::chrono::seconds(20)));
}

// The client's address behind a trusted reverse proxy (X-Forwarded-For), and never from a header an
// untrusted client sent.
#include <doctest/doctest.h>

#include "http/client_address.hpp"

using tt::http::client_address;

TEST_CASE("client address: X-Forwarded-For counts only when a trusted proxy sent it") {
  const std::vector<std::string> caddy{"127.0.0.1"};
  CHECK(client_address("127.0.0.1", "192.168.1.23", caddy) == "192.168.1.23");
  CHECK(client_address("192.168.1.50", "10.9.9.9", caddy) == "192.168.1.50");  // not from the proxy
  CHECK(client_address("127.0.0.1", std::nullopt, caddy) == "127.0.0.1");
  CHECK(client_address("127.0.0.1", "192.168.1.23", {}) == "127.0.0.1");       // no proxy trusted
}

TEST_CASE("client address: the right-most entry that is not a trusted proxy; a forged left part is ignored") {
  const std::vector<std::string> proxies{"127.0.0.1", "10.0.0.2"};
  CHECK(client_address("127.0.0.1", "6.6.6.6, 192.168.1.23", proxies) == "192.168.1.23");
  CHECK(client_address("127.0.0.1", "192.168.1.23, 10.0.0.2", proxies) == "192.168.1.23");
  CHECK(client_address("127.0.0.1", "10.0.0.2,127.0.0.1", proxies) == "127.0.0.1");
  CHECK(client_address("127.0.0.1", " 2001:db8::7 ", proxies) == "2001:db8::7");
  // Junk in the chain: none of it is believed.
  CHECK(client_address("127.0.0.1", "<script>", proxies) == "127.0.0.1");
  CHECK(client_address("127.0.0.1", "192.168.1.23:5555", proxies) == "127.0.0.1");
  CHECK(client_address("127.0.0.1", "", proxies) == "127.0.0.1");
}

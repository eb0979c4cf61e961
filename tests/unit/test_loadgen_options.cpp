// Command line of the load generator.
#include <doctest/doctest.h>

#include <boost/asio/ip/address.hpp>
#include <string>
#include <vector>

#include "../../bench/loadgen/loopback.hpp"
#include "../../bench/loadgen/options.hpp"

using namespace tt::bench;

namespace {
std::variant<Options, ParseError, HelpRequested> parse(std::vector<std::string_view> args,
                                                       std::optional<std::string> env = std::nullopt) {
  return parse_options(args, std::move(env));
}
}  // namespace

TEST_CASE("options: defaults with a user") {
  auto r = parse({"--user", "scanner", "--password", "pw"});
  REQUIRE(std::holds_alternative<Options>(r));
  const auto& o = std::get<Options>(r);
  CHECK(o.host == "127.0.0.1");
  CHECK(o.port == 8080);
  CHECK(o.connections == 20);
  CHECK(o.rate == 0);
  CHECK(o.accounts.size() == 1);
  CHECK(o.accounts[0].username == "scanner");
  CHECK(o.parents.first == 0);
  CHECK(o.parents.last == 99999);
  CHECK(o.parents.kinds == ParentKinds::both);
  CHECK(o.mix.capacity == 30);
}

TEST_CASE("options: everything") {
  auto r = parse({"--host", "localhost", "--port", "9090", "--connections", "1000", "--threads", "2", "--duration",
                  "2.5", "--warmup", "1", "--rate", "20000", "--token", "abc", "--parent-range", "30000-39999",
                  "--parent-kinds", "sb", "--lookup-range", "0-29999", "--duplicates", "0", "--rejections", "0.5",
                  "--lookups", "0.1", "--stats", "0.01", "--run-id", "R1", "--seed", "7", "--json", "--check"});
  REQUIRE(std::holds_alternative<Options>(r));
  const auto& o = std::get<Options>(r);
  CHECK(o.port == 9090);
  CHECK(o.connections == 1000);
  CHECK(o.threads == 2);
  CHECK(o.duration_s == 2.5);
  CHECK(o.rate == 20000);
  CHECK(o.token == "abc");
  CHECK(o.accounts.empty());
  CHECK(o.parents.size() == 10000);
  CHECK(o.parents.kinds == ParentKinds::sb);
  REQUIRE(o.mix.lookup_range);
  CHECK(o.mix.lookup_range->size() == 60000);
  CHECK(o.mix.rejection_share == 0.5);
  CHECK(o.run_id == "R1");
  CHECK(o.json);
  CHECK(o.check);
}

TEST_CASE("options: password from the environment") {
  auto r = parse({"--user", "u"}, std::string("secret"));
  REQUIRE(std::holds_alternative<Options>(r));
  CHECK(std::get<Options>(r).accounts[0].password == "secret");
  CHECK(std::holds_alternative<ParseError>(parse({"--user", "u"})));
}

TEST_CASE("options: refused") {
  for (auto args : std::vector<std::vector<std::string_view>>{
           {},                                                    // no credentials
           {"--user", "u", "--password", "p", "--token", "t"},   // two kinds
           {"--token", "t", "--connections", "0"},
           {"--token", "t", "--duration", "0"},
           {"--token", "t", "--duration", "forever"},
           {"--token", "t", "--duration", "7200"},
           {"--token", "t", "--rate", "-1"},
           {"--token", "t", "--port", "70000"},
           {"--token", "t", "--parent-range", "0-100000"},
           {"--token", "t", "--parent-kinds", "xx"},
           {"--token", "t", "--duplicates", "1.5"},
           {"--token", "t", "--lookups", "0.7", "--stats", "0.7"},
           {"--token", "t", "--run-id", "lower"},
           {"--token", "t", "--bogus", "1"},
           {"--token"},
       }) {
    CAPTURE(args.size());
    CHECK(std::holds_alternative<ParseError>(parse(args)));
  }
  CHECK(std::holds_alternative<HelpRequested>(parse({"--help"})));
}

TEST_CASE("users file") {
  auto r = parse_users_file("# scanners\nalice:pw1\r\n\nbob:pw:with:colons\n");
  REQUIRE(std::holds_alternative<std::vector<Account>>(r));
  const auto& a = std::get<std::vector<Account>>(r);
  REQUIRE(a.size() == 2);
  CHECK(a[0].username == "alice");
  CHECK(a[0].password == "pw1");
  CHECK(a[1].password == "pw:with:colons");
  CHECK(std::holds_alternative<ParseError>(parse_users_file("nocolon\n")));
  CHECK(std::holds_alternative<ParseError>(parse_users_file(":pw\n")));
  CHECK(std::holds_alternative<ParseError>(parse_users_file("# only comments\n")));
}

TEST_CASE("only loopback addresses are accepted as targets") {
  namespace ip = boost::asio::ip;
  CHECK(is_loopback(ip::make_address("127.0.0.1")));
  CHECK(is_loopback(ip::make_address("127.1.2.3")));
  CHECK(is_loopback(ip::make_address("::1")));
  CHECK(is_loopback(ip::make_address("::ffff:127.0.0.1")));
  CHECK_FALSE(is_loopback(ip::make_address("10.0.0.1")));
  CHECK_FALSE(is_loopback(ip::make_address("0.0.0.0")));
  CHECK_FALSE(is_loopback(ip::make_address("192.168.1.10")));
  CHECK_FALSE(is_loopback(ip::make_address("::")));
  CHECK_FALSE(is_loopback(ip::make_address("::ffff:8.8.8.8")));
  CHECK_FALSE(is_loopback(ip::make_address("2001:db8::1")));
}

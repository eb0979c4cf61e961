// Router: method + path to route, {param} segments, literal-over-parameter precedence, 405.
#include <doctest/doctest.h>

#include <set>
#include <stdexcept>
#include <string_view>

#include "domain/identity.hpp"
#include "domain/permissions.hpp"
#include "http/router.hpp"

using namespace tt;
using http::Access;
using http::Router;

namespace {

http::Handler no_op() {
  return [](http::RequestContext&) -> http::asio::awaitable<http::Response> { co_return http::Response{}; };
}

Router sample_router() {
  Router r;
  r.add("GET", "/api/v1/bags", Access::any_user(), no_op());
  r.add("GET", "/api/v1/bags/{code}", Access::any_user(), no_op());
  r.add("DELETE", "/api/v1/bags/{code}", Access::roles({domain::Role::admin}), no_op());
  r.add("GET", "/api/v1/bags/search", Access::any_user(), no_op());
  r.add("POST", "/api/v1/bags/{code}/relink", Access::any_user(), no_op());
  r.add("DELETE", "/api/v1/bills/{code}/parents/{parent}", Access::any_user(), no_op());
  r.add("GET", "/", Access::public_route(), no_op());
  r.add("GET", "/healthz", Access::public_route(), no_op());
  return r;
}

}  // namespace

TEST_CASE("router: literal path") {
  const Router r = sample_router();
  const auto m = r.match("GET", "/api/v1/bags");
  REQUIRE(m.route != nullptr);
  CHECK(m.route->pattern == "/api/v1/bags");
  CHECK(m.params.empty());
}

TEST_CASE("router: root path") {
  const Router r = sample_router();
  const auto m = r.match("GET", "/");
  REQUIRE(m.route != nullptr);
  CHECK(m.route->pattern == "/");
}

TEST_CASE("router: parameter segments are captured") {
  const Router r = sample_router();
  const auto m = r.match("DELETE", "/api/v1/bills/LKO-2025/parents/SB12345");
  REQUIRE(m.route != nullptr);
  CHECK(m.route->pattern == "/api/v1/bills/{code}/parents/{parent}");
  CHECK(m.params.at("code") == "LKO-2025");
  CHECK(m.params.at("parent") == "SB12345");
}

TEST_CASE("router: a literal segment wins over a parameter, whatever the order of registration") {
  const Router r = sample_router();
  const auto literal = r.match("GET", "/api/v1/bags/search");
  REQUIRE(literal.route != nullptr);
  CHECK(literal.route->pattern == "/api/v1/bags/search");
  const auto param = r.match("GET", "/api/v1/bags/SB12345");
  REQUIRE(param.route != nullptr);
  CHECK(param.route->pattern == "/api/v1/bags/{code}");
  CHECK(param.params.at("code") == "SB12345");

  Router reversed;
  reversed.add("GET", "/x/search", Access::public_route(), no_op());
  reversed.add("GET", "/x/{id}", Access::public_route(), no_op());
  CHECK(reversed.match("GET", "/x/search").route->pattern == "/x/search");
}

TEST_CASE("router: the more literal route wins at the first differing segment") {
  Router r;
  r.add("GET", "/a/{x}/c", Access::public_route(), no_op());
  r.add("GET", "/a/b/{y}", Access::public_route(), no_op());
  const auto m = r.match("GET", "/a/b/c");
  REQUIRE(m.route != nullptr);
  CHECK(m.route->pattern == "/a/b/{y}");
}

TEST_CASE("router: parameters are percent-decoded after splitting, so an encoded slash stays in its segment") {
  const Router r = sample_router();
  const auto m = r.match("GET", "/api/v1/bags/A%2FB%20C");
  REQUIRE(m.route != nullptr);
  CHECK(m.route->pattern == "/api/v1/bags/{code}");
  CHECK(m.params.at("code") == "A/B C");
  // A literal path with an encoded slash is not the two-segment path.
  CHECK(r.match("GET", "/api/v1%2Fbags").route == nullptr);
}

TEST_CASE("router: same path with another method is 405, with the allowed methods") {
  const Router r = sample_router();
  const auto m = r.match("PUT", "/api/v1/bags/SB1");
  CHECK(m.route == nullptr);
  CHECK(m.path_exists);
  CHECK(m.allowed == std::vector<std::string>{"GET", "DELETE"});
}

TEST_CASE("router: unknown path is 404") {
  const Router r = sample_router();
  for (const char* path : {"/api/v1/nothing", "/api/v1/bags/SB1/unknown", "/api/v1/bags/", "/api", "/healthz/x",
                           "/index.html", ""}) {
    CAPTURE(path);
    const auto m = r.match("GET", path);
    CHECK(m.route == nullptr);
    CHECK_FALSE(m.path_exists);
  }
}

TEST_CASE("router: an empty segment never fills a parameter") {
  const Router r = sample_router();
  const auto m = r.match("POST", "/api/v1/bags//relink");
  CHECK(m.route == nullptr);
}

TEST_CASE("router: HEAD is served by the GET route") {
  const Router r = sample_router();
  const auto m = r.match("HEAD", "/healthz");
  REQUIRE(m.route != nullptr);
  CHECK(m.route->method == "GET");
}

TEST_CASE("router: methods are case-sensitive") {
  const Router r = sample_router();
  const auto m = r.match("get", "/healthz");
  CHECK(m.route == nullptr);
  CHECK(m.path_exists);
}

TEST_CASE("router: duplicate and malformed routes are refused at registration") {
  Router r;
  r.add("GET", "/a/{x}", Access::public_route(), no_op());
  CHECK_THROWS_AS(r.add("GET", "/a/{y}", Access::public_route(), no_op()), std::invalid_argument);
  CHECK_NOTHROW(r.add("POST", "/a/{y}", Access::public_route(), no_op()));
  CHECK_THROWS_AS(r.add("GET", "a/b", Access::public_route(), no_op()), std::invalid_argument);
}

TEST_CASE("access rules") {
  CHECK(Access::public_route().is_public());
  const Access any = Access::any_user();
  CHECK_FALSE(any.is_public());
  CHECK(any.allows(domain::Role::dispatcher));
  CHECK(any.allows(domain::Role::biller));
  CHECK(any.allows(domain::Role::admin));
  const Access billing = Access::roles({domain::Role::biller, domain::Role::admin});
  CHECK_FALSE(billing.allows(domain::Role::dispatcher));
  CHECK(billing.allows(domain::Role::biller));
  CHECK(billing.allows(domain::Role::admin));
}

TEST_CASE("router: a route's access by permission follows the permission table") {
  using domain::Permission;
  using domain::Role;
  const Access transfer = Access::to(Permission::transfer_bags);
  CHECK_FALSE(transfer.is_public());
  CHECK_FALSE(transfer.allows(Role::dispatcher));
  CHECK(transfer.allows(Role::biller));
  CHECK(transfer.allows(Role::admin));
  const Access administer = Access::to(Permission::administer);
  CHECK_FALSE(administer.allows(Role::biller));
  CHECK(administer.allows(Role::admin));
  // Every row names a permission once, and the table follows the enum.
  std::set<std::string_view> names;
  std::size_t i = 0;
  for (const auto& row : domain::permission_table()) {
    CHECK(static_cast<std::size_t>(row.permission) == i++);
    CHECK(names.insert(row.name).second);
    CHECK_FALSE(row.roles.empty());
    for (const Role r : row.roles) CHECK(domain::may(r, row.permission));
  }
  // What every identity's area rule says comes from the same table.
  domain::Identity biller;
  biller.role = Role::biller;
  CHECK(biller.sees_all_areas());
  domain::Identity dispatcher;
  CHECK_FALSE(dispatcher.sees_all_areas());
}

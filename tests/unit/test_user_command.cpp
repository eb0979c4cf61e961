// The words after `tracetrack user`.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/config.hpp"
#include "app/user_command.hpp"

using namespace tt::app;

TEST_CASE("user command: add with its options, in either form") {
  auto c = parse_user_command({"add", "Meera", "--role", "biller", "--area=Lucknow", "--email", "m@depot.example"});
  CHECK(c.action == UserCommand::Action::add);
  CHECK(c.username == "Meera");
  CHECK(c.role == "biller");
  CHECK(c.area == "Lucknow");
  CHECK(c.email == "m@depot.example");
  CHECK_FALSE(c.password_stdin);
  auto admin = parse_user_command({"add", "root2", "--role=admin", "--password-stdin"});
  CHECK(admin.role == "admin");
  CHECK_FALSE(admin.area);
  CHECK(admin.password_stdin);
}

TEST_CASE("user command: passwd and list") {
  auto p = parse_user_command({"passwd", "meera", "--password-stdin"});
  CHECK(p.action == UserCommand::Action::passwd);
  CHECK(p.username == "meera");
  CHECK(p.password_stdin);
  CHECK(parse_user_command({"list"}).action == UserCommand::Action::list);
  auto r = parse_user_command({"reset-second-factor", "meera"});
  CHECK(r.action == UserCommand::Action::reset_second_factor);
  CHECK(r.username == "meera");
}

TEST_CASE("user command: mistakes are refused with a message") {
  using Args = std::vector<std::string>;
  CHECK_THROWS_AS(parse_user_command(Args{}), ConfigError);
  CHECK_THROWS_AS(parse_user_command({"delete", "meera"}), ConfigError);
  CHECK_THROWS_AS(parse_user_command({"add", "meera"}), ConfigError);                      // no role
  CHECK_THROWS_AS(parse_user_command({"add", "--role", "biller"}), ConfigError);           // no name
  CHECK_THROWS_AS(parse_user_command({"add", "a", "b", "--role", "biller"}), ConfigError);  // two names
  CHECK_THROWS_AS(parse_user_command({"add", "meera", "--role"}), ConfigError);            // no value
  CHECK_THROWS_AS(parse_user_command({"passwd", "meera", "--role", "admin"}), ConfigError);
  CHECK_THROWS_AS(parse_user_command({"list", "extra"}), ConfigError);
  CHECK_THROWS_AS(parse_user_command({"reset-second-factor"}), ConfigError);
  CHECK_THROWS_AS(parse_user_command({"reset-second-factor", "meera", "--password-stdin"}), ConfigError);
  CHECK_THROWS_WITH_AS(parse_user_command({"add", "meera", "--colour", "red"}),
                       doctest::Contains("unknown option --colour"), ConfigError);
}

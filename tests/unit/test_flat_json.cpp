// The allocation-free reader of scan request bodies: it accepts only what it can read exactly and
// declines everything else (the full parser then answers), and the route helper built on it.
#include <doctest/doctest.h>

#include <string>

#include "domain/errors.hpp"
#include "api/request_fields.hpp"
#include "api/flat_json.hpp"
#include "http/message.hpp"

using namespace tt;
using api::FlatField;
using api::parse_flat_string_object;

namespace {

// Views into the body: string literals outlive them.
bool parse(std::string_view body, FlatField* out, std::size_t& n) { return parse_flat_string_object(body, out, 4, n); }

std::string error_code_of(const std::string& body, std::string& parent, std::string& code) {
  http::Request req;
  req.body = body;
  try {
    api::read_string_fields(req, {{"parent", &parent}, {"code", &code}});
  } catch (const domain::Failure& e) {
    return std::string(domain::to_string(e.code));
  }
  return "";
}

}  // namespace

TEST_CASE("flat JSON: plain string members are read as views") {
  FlatField f[4];
  std::size_t n = 0;
  REQUIRE(parse(R"({"parent":"SB12345","code":"CH-1"})", f, n));
  REQUIRE(n == 2);
  CHECK(f[0].name == "parent");
  CHECK(f[0].value == "SB12345");
  CHECK(f[1].name == "code");
  CHECK(f[1].value == "CH-1");
  REQUIRE(parse(" \r\n{ \"code\" : \"a b\" }\n", f, n));
  CHECK(n == 1);
  CHECK(f[0].value == "a b");
  REQUIRE(parse("{}", f, n));
  CHECK(n == 0);
  REQUIRE(parse(R"({"code":"x","code":"y"})", f, n));  // the last value wins, as in the full parser
  CHECK(n == 1);
  CHECK(f[0].value == "y");
}

TEST_CASE("flat JSON: anything else is declined") {
  FlatField f[4];
  std::size_t n = 0;
  for (const char* body : {"", "[]", "{", "{\"code\":1}", "{\"code\":null}", "{\"code\":\"a\\\"b\"}",
                           "{\"code\":\"\xc3\xa9\"}", "{\"code\":\"a\"} x", "{\"code\":\"a\",}", "{\"code\" \"a\"}",
                           "{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\",\"d\":\"4\",\"e\":\"5\"}", "{\"code\":{\"a\":\"b\"}}",
                           "{\"code\":\"tab\there\"}"}) {
    CHECK_MESSAGE(!parse(body, f, n), body);
  }
}

TEST_CASE("scan body fields: both paths give the same answers") {
  std::string parent, code;
  CHECK(error_code_of(R"({"parent":"SB1","code":"C1"})", parent, code) == "");
  CHECK(parent == "SB1");
  CHECK(code == "C1");
  CHECK(error_code_of(R"({"parent":"SB1","code":"caf\u00e9"})", parent, code) == "");  // full parser path
  CHECK(code == "caf\xc3\xa9");
  CHECK(error_code_of(R"({"parent":"SB1"})", parent, code) == "invalid_request");
  CHECK(error_code_of(R"({"parent":"SB1","code":5})", parent, code) == "invalid_request");
  CHECK(error_code_of(R"({"parent":"SB1","code":"C1","x":"y"})", parent, code) == "invalid_request");
  CHECK(error_code_of(R"({"parent":"SB1","code":"C1","x":1})", parent, code) == "invalid_request");
  CHECK(error_code_of("", parent, code) == "invalid_json");
  CHECK(error_code_of("[1]", parent, code) == "invalid_json");
  CHECK(error_code_of("{\"code\":\"\xff\"}", parent, code) == "invalid_json");  // not UTF-8
}

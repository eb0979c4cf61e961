// Request helpers (query parameters, cookies, headers, JSON bodies), percent-decoding and the JSON
// error body of SPEC §4.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/error_status.hpp"
#include "http/message.hpp"

using namespace tt::http;

TEST_CASE("percent-decoding") {
  CHECK(percent_decode("SB12345", false) == "SB12345");
  CHECK(percent_decode("A%2FB", false) == "A/B");
  CHECK(percent_decode("a%20b", false) == "a b");
  CHECK(percent_decode("%e2%82%ac", false) == "\xE2\x82\xAC");
  CHECK(percent_decode("a+b", false) == "a+b");
  CHECK(percent_decode("a+b", true) == "a b");
  // Malformed escapes are kept as they are.
  CHECK(percent_decode("100%", false) == "100%");
  CHECK(percent_decode("%zz", false) == "%zz");
  CHECK(percent_decode("%4", false) == "%4");
  CHECK(percent_decode("%00", false) == std::string(1, '\0'));
}

TEST_CASE("query parameters") {
  Request req;
  req.query = "q=SB1&type=parent&empty=&flag&name=a+b%26c&q=second";
  CHECK(req.query_param("q") == "SB1");  // the first of repeated parameters
  CHECK(req.query_param("type") == "parent");
  CHECK(req.query_param("empty") == "");
  CHECK(req.query_param("flag") == "");
  CHECK(req.query_param("name") == "a b&c");
  CHECK_FALSE(req.query_param("missing").has_value());
  CHECK_FALSE(req.query_param("Q").has_value());

  Request encoded_key;
  encoded_key.query = "per%5Fpage=50";
  CHECK(encoded_key.query_param("per_page") == "50");

  Request none;
  CHECK_FALSE(none.query_param("q").has_value());
}

TEST_CASE("headers are looked up by lower-case name") {
  Request req;
  req.headers = {{"content-type", "application/json"}, {"x-csrf-token", "abc"}};
  CHECK(req.header("x-csrf-token") == "abc");
  CHECK_FALSE(req.header("authorization").has_value());
}

TEST_CASE("cookies") {
  Request req;
  req.headers = {{"cookie", "theme=dark; tt_session=abc123 ;  other=\"quoted\""}, {"cookie", "late=1"}};
  CHECK(req.cookie("tt_session") == "abc123");
  CHECK(req.cookie("theme") == "dark");
  CHECK(req.cookie("other") == "quoted");
  CHECK(req.cookie("late") == "1");
  CHECK_FALSE(req.cookie("tt").has_value());
  CHECK_FALSE(req.cookie("session").has_value());

  Request no_cookies;
  CHECK_FALSE(no_cookies.cookie("tt_session").has_value());
}

TEST_CASE("path parameters") {
  Request req;
  req.params.emplace("code", "SB12345");
  CHECK(req.param("code") == "SB12345");
  CHECK_THROWS_AS(req.param("parent"), std::logic_error);
}

TEST_CASE("JSON bodies") {
  Request req;
  req.body = R"({"code": "SB12345", "n": 3})";
  const auto j = req.json_body();
  CHECK(j.at("code") == "SB12345");
  CHECK(j.at("n") == 3);

  for (const char* bad : {"", "{", "not json", "[1,2]", "\"text\"", "42", "{\"a\":1} trailing"}) {
    CAPTURE(bad);
    Request r;
    r.body = bad;
    try {
      (void)r.json_body();
      FAIL("accepted a body that is not a JSON object");
    } catch (const tt::domain::Failure& e) {
      CHECK(tt::api::http_status(e.code) == 400);
      CHECK(tt::domain::to_string(e.code) == "invalid_json");
    }
  }
}

TEST_CASE("error bodies have the shape of SPEC §4") {
  const Response r = error_response(404, "not_found", "Nothing is here.");
  CHECK(r.status == 404);
  CHECK(r.content_type == "application/json");
  const auto j = nlohmann::json::parse(r.body);
  CHECK(j == nlohmann::json{{"error", {{"code", "not_found"}, {"message", "Nothing is here."}}}});
}

TEST_CASE("JSON responses survive invalid UTF-8 in stored text") {
  const Response r = json_response(200, {{"code", std::string("bad\xFF")}});
  CHECK(r.status == 200);
  CHECK(nlohmann::json::parse(r.body)["code"].is_string());
}

TEST_CASE("status reasons") {
  CHECK(status_reason(200) == "OK");
  CHECK(status_reason(404) == "Not Found");
  CHECK(status_reason(413) == "Payload Too Large");
  CHECK(status_reason(431) == "Request Header Fields Too Large");
  CHECK(status_reason(503) == "Service Unavailable");
}

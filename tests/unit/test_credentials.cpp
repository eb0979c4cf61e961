// Session and API token formats, bearer header parsing, the session cookie as sent and as read.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "accounts/credentials.hpp"
#include "http/message.hpp"

using namespace tt::accounts;

TEST_CASE("credentials: session and CSRF tokens are 64 lower-case hex characters, all different") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto t = new_session_token();
    CHECK(is_session_token(t));
    CHECK(seen.insert(t).second);
    auto c = new_csrf_token();
    CHECK(c.size() == 64);
    CHECK(seen.insert(c).second);
  }
}

TEST_CASE("credentials: site tokens are tts_ and 64 hex characters, never taken for API tokens") {
  auto t = new_site_token();
  CHECK(t.size() == 68);
  CHECK(t.starts_with("tts_"));
  CHECK(is_site_token(t));
  CHECK_FALSE(is_api_token(t));
  CHECK_FALSE(is_site_token(new_api_token()));
  CHECK_FALSE(is_site_token(t + "0"));
  CHECK_FALSE(is_site_token("tts_" + std::string(64, 'G')));
  CHECK(new_site_token() != t);
}

TEST_CASE("credentials: API tokens are tt_ and 64 hex characters") {
  auto t = new_api_token();
  CHECK(t.size() == 67);
  CHECK(t.starts_with("tt_"));
  CHECK(is_api_token(t));
  CHECK_FALSE(is_session_token(t));
  CHECK_FALSE(is_api_token(t.substr(3)));
  CHECK_FALSE(is_api_token(t + "0"));
  CHECK_FALSE(is_api_token("tt_" + std::string(64, 'G')));
  CHECK_FALSE(is_api_token("TT_" + std::string(64, 'a')));
  CHECK_FALSE(is_session_token(std::string(64, 'A')));  // upper case is not ours
  CHECK_FALSE(is_session_token(std::string(63, 'a')));
  CHECK_FALSE(is_session_token(""));
}

TEST_CASE("credentials: only the hash is stored, and it is SHA-256 hex") {
  CHECK(token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto t = new_api_token();
  CHECK(token_hash(t) != t);
  CHECK(token_hash(t).size() == 64);
}

TEST_CASE("credentials: bearer header parsing") {
  auto t = new_api_token();
  CHECK(bearer_token("Bearer " + t) == std::optional<std::string_view>(t));
  CHECK(bearer_token("bearer " + t).has_value());
  CHECK(bearer_token("BEARER   " + t + "  ").value() == t);
  CHECK_FALSE(bearer_token("Basic dXNlcjpwYXNz"));
  CHECK_FALSE(bearer_token("Bearer"));
  CHECK_FALSE(bearer_token("Bearer "));
  CHECK_FALSE(bearer_token("Bearer a b"));
  CHECK_FALSE(bearer_token("Bearertoken"));
  CHECK_FALSE(bearer_token(""));
}

TEST_CASE("credentials: the session cookie is HttpOnly, SameSite=Strict, Path=/, Secure only when asked") {
  auto c = session_cookie("abc", 43200, false);
  CHECK(c == "tt_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
  auto secure = session_cookie("abc", 60, true);
  CHECK(secure.find("; Secure") != std::string::npos);
  CHECK(expired_session_cookie(false) == "tt_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  CHECK(expired_session_cookie(true).find("; Secure") != std::string::npos);
}

TEST_CASE("credentials: the cookie a browser sends back is read among others") {
  auto token = new_session_token();
  tt::http::Request req;
  req.headers.emplace_back("cookie", "theme=dark; tt_session=" + token + "; lang=hi");
  CHECK(req.cookie(kSessionCookie) == token);
  tt::http::Request none;
  none.headers.emplace_back("cookie", "tt_session_old=x; xtt_session=y");
  CHECK_FALSE(none.cookie(kSessionCookie));
}

TEST_CASE("credentials: generated passwords are long, readable and different") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto p = generate_password();
    CHECK(p.size() == 23);
    CHECK(p[5] == '-');
    CHECK(p.find_first_of("0O1lI") == std::string::npos);
    CHECK(seen.insert(p).second);
  }
}

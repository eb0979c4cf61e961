// A running server with a small depot for the bag, scan and bill tests over HTTP: two areas, a
// user of each role with an API token, and helpers for JSON requests and error checks.
#pragma once

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>

#include "storage/database.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace tt::test {

using nlohmann::json;

// Credentials as request headers: a bearer token, or a session cookie with its CSRF token.
struct Credentials {
  Headers headers;
};

// Signs in with a password; the session cookie and CSRF header of the answer.
Credentials sign_in(HttpClient& client, const std::string& username, const std::string& password);

class Depot {
 public:
  explicit Depot(ServerProcess::Options options = {});

  ScratchDatabase db;
  std::unique_ptr<ServerProcess> process;
  Credentials admin, biller, dispatcher, other_dispatcher;  // dispatcher: Lucknow; other: Kanpur
  Credentials admin_session;                                // cookie + CSRF

  HttpClient client() const { return process->client(); }

  // A new server process on the same database (after the previous one was killed).
  void restart(ServerProcess::Options options = {});

  // A request with a JSON body (none when `body` is null).
  HttpResponse call(HttpClient& c, const std::string& method, const std::string& target, const Credentials& who,
                    const json& body = nullptr) const;
  HttpResponse call(const std::string& method, const std::string& target, const Credentials& who,
                    const json& body = nullptr);

  // The database itself, opened by the test alongside the server, for checks behind the API.
  std::unique_ptr<storage::Database> open_db() const;
  std::int64_t count(const std::string& from_where, storage::Params params = {}) const;

 private:
  Credentials make_user(const std::string& name, const std::string& role, const std::string& area);
  std::unique_ptr<HttpClient> client_;
};

// Checks an error answer: status, JSON shape and code.
void check_error(const HttpResponse& r, int status, const std::string& code);

inline std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace tt::test

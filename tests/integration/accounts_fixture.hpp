// A running server on a scratch database for the account tests over HTTP (sign-in, users, areas,
// tokens, permissions): requests as any caller, users and tokens made through the API, and the
// database itself for the few checks (and clock changes) that only it allows.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"

namespace tt::test {

// What a caller adds to a request: nothing, a bearer token, or a session cookie with (or without)
// its CSRF header.
struct Caller {
  Headers headers;
  std::string session_token;  // the cookie's value, when signed in with a password
  std::string csrf_token;
};

struct TokenMade {
  std::string id;
  std::string secret;
};

class AccountsServer {
 public:
  // `backend` as ScratchDatabase's: the backend under test unless named.
  explicit AccountsServer(ServeOptions options = {}, std::string backend = {});

  ScratchDatabase db;
  std::unique_ptr<ServerProcess> process;
  HttpClient http;
  Caller admin;  // the first-start admin, signed in with cookie and CSRF header

  // A request with a JSON body (none when `body` is null).
  HttpResponse call(const std::string& method, const std::string& target, const Caller& who,
                    const nlohmann::json& body = nullptr);

  // POST /api/v1/auth/login; the caller carries the cookie and CSRF header of the answer.
  HttpResponse login(const std::string& username, const std::string& password, Caller* signed_in = nullptr);
  Caller sign_in(const std::string& username, const std::string& password);
  // POST /api/v1/auth/login/second-factor with `proof` ({"code": ...} or {"recovery_code": ...}).
  HttpResponse second_factor(const std::string& challenge, nlohmann::json proof, Caller* signed_in = nullptr);

  void add_area(const std::string& name);
  void add_user(const std::string& username, const std::string& password, const std::string& role,
                const std::string& area = "");
  TokenMade add_token(const std::string& name, const std::string& username);
  static Caller bearer(const std::string& secret);

  // Every response body seen through call() and login(), for the secrets test.
  const std::vector<std::string>& bodies() const { return bodies_; }

  // Runs one statement on the server's database (test set-up that the API rightly refuses).
  void sql(const std::string& statement, storage::Params params = {});
  std::int64_t scalar(const std::string& query, storage::Params params = {});

 private:
  std::vector<std::string> bodies_;
};

// The error code of an error answer, "" when the body is not one.
std::string error_code(const HttpResponse& r);

}  // namespace tt::test

#include "accounts_fixture.hpp"

#include <stdexcept>

#include "support/test_db.hpp"

namespace tt::test {

namespace {

std::string cookie_value(const std::string& set_cookie) {
  auto eq = set_cookie.find('=');
  auto semi = set_cookie.find(';');
  return set_cookie.substr(eq + 1, semi - eq - 1);
}

}  // namespace

AccountsServer::AccountsServer(ServeOptions options, std::string backend)
    : db(std::move(backend)), process(std::make_unique<ServerProcess>(db.url(), std::move(options))), http(process->client()) {
  admin = sign_in("admin", kTestAdminPassword);
}

HttpResponse AccountsServer::call(const std::string& method, const std::string& target, const Caller& who,
                                  const nlohmann::json& body) {
  Headers h = who.headers;
  HttpResponse r;
  if (body.is_null()) {
    r = http.request(method, target, {}, h);
  } else {
    h.emplace_back("Content-Type", "application/json");
    r = http.request(method, target, body.dump(), h);
  }
  bodies_.push_back(r.body);
  return r;
}

namespace {

// A sign-in's answer with a session (not a second-factor challenge): the caller takes its cookie.
void adopt_session(const HttpResponse& r, Caller* signed_in) {
  if (!signed_in || r.status != 200 || r.json().contains("challenge")) return;
  auto cookie = r.header("set-cookie");
  if (!cookie) throw std::runtime_error("a sign-in set no cookie: " + r.body);
  signed_in->session_token = cookie_value(*cookie);
  signed_in->csrf_token = r.json()["csrf_token"].get<std::string>();
  signed_in->headers = {{"Cookie", "tt_session=" + signed_in->session_token}, {"X-CSRF-Token", signed_in->csrf_token}};
}

}  // namespace

HttpResponse AccountsServer::login(const std::string& username, const std::string& password, Caller* signed_in) {
  auto r = call("POST", "/api/v1/auth/login", Caller{}, {{"username", username}, {"password", password}});
  adopt_session(r, signed_in);
  return r;
}

HttpResponse AccountsServer::second_factor(const std::string& challenge, nlohmann::json proof, Caller* signed_in) {
  proof["challenge"] = challenge;
  auto r = call("POST", "/api/v1/auth/login/second-factor", Caller{}, proof);
  adopt_session(r, signed_in);
  return r;
}

Caller AccountsServer::sign_in(const std::string& username, const std::string& password) {
  Caller c;
  auto r = login(username, password, &c);
  if (r.status != 200) throw std::runtime_error("sign-in of " + username + " failed: " + r.body);
  return c;
}

void AccountsServer::add_area(const std::string& name) {
  auto r = call("POST", "/api/v1/areas", admin, {{"name", name}});
  if (r.status != 201) throw std::runtime_error("cannot create area " + name + ": " + r.body);
}

void AccountsServer::add_user(const std::string& username, const std::string& password, const std::string& role,
                              const std::string& area) {
  nlohmann::json body{{"username", username}, {"password", password}, {"role", role}};
  if (!area.empty()) body["area"] = area;
  auto r = call("POST", "/api/v1/users", admin, body);
  if (r.status != 201) throw std::runtime_error("cannot create user " + username + ": " + r.body);
}

TokenMade AccountsServer::add_token(const std::string& name, const std::string& username) {
  auto r = call("POST", "/api/v1/tokens", admin, {{"name", name}, {"username", username}});
  if (r.status != 201) throw std::runtime_error("cannot create token " + name + ": " + r.body);
  auto t = r.json()["token"];
  return TokenMade{t["id"].get<std::string>(), t["token"].get<std::string>()};
}

Caller AccountsServer::bearer(const std::string& secret) { return Caller{{{"Authorization", "Bearer " + secret}}, "", ""}; }

void AccountsServer::sql(const std::string& statement, storage::Params params) {
  auto database = storage::open_database(db.url(), {});
  run_sync(database->write(storage::job(storage::run_statement, statement, std::move(params))));
  database->close();
}

std::int64_t AccountsServer::scalar(const std::string& query, storage::Params params) {
  auto database = storage::open_database(db.url(), {});
  auto n = run_sync(database->read(storage::job(storage::query_int, query, std::move(params))));
  database->close();
  return n;
}

std::string error_code(const HttpResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "";
  return j["error"].value("code", "");
}

}  // namespace tt::test

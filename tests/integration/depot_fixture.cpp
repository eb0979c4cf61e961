#include "depot_fixture.hpp"

#include <stdexcept>

#include "support/test_db.hpp"

namespace tt::test {

namespace {

constexpr const char* kPassword = "depot-user-password";

}  // namespace

Credentials sign_in(HttpClient& client, const std::string& username, const std::string& password) {
  const auto r = client.post_json("/api/v1/auth/login", {{"username", username}, {"password", password}});
  if (r.status != 200) throw std::runtime_error("sign-in of " + username + " failed: " + r.body);
  const auto cookie = r.header("set-cookie");
  if (!cookie) throw std::runtime_error("sign-in of " + username + " set no cookie");
  return Credentials{{{"Cookie", cookie->substr(0, cookie->find(';'))},
                      {"X-CSRF-Token", r.json()["csrf_token"].get<std::string>()}}};
}

Depot::Depot(ServerProcess::Options options) {
  process = std::make_unique<ServerProcess>(db.url(), std::move(options));
  client_ = std::make_unique<HttpClient>(process->client());
  admin_session = sign_in(*client_, "admin", kTestAdminPassword);
  for (const char* area : {"Lucknow", "Kanpur"}) {
    const auto r = call("POST", "/api/v1/areas", admin_session, {{"name", area}});
    if (r.status != 201) throw std::runtime_error("cannot create area: " + r.body);
  }
  admin = make_user("admin", "admin", "");
  biller = make_user("bina", "biller", "Lucknow");
  dispatcher = make_user("dev", "dispatcher", "Lucknow");
  other_dispatcher = make_user("kiran", "dispatcher", "Kanpur");
}

Credentials Depot::make_user(const std::string& name, const std::string& role, const std::string& area) {
  if (name != "admin") {
    json user{{"username", name}, {"password", kPassword}, {"role", role}, {"area", area}};
    const auto r = call("POST", "/api/v1/users", admin_session, user);
    if (r.status != 201) throw std::runtime_error("cannot create user " + name + ": " + r.body);
  }
  const auto t = call("POST", "/api/v1/tokens", admin_session, {{"name", name + "-scanner"}, {"username", name}});
  if (t.status != 201) throw std::runtime_error("cannot create a token for " + name + ": " + t.body);
  return Credentials{{{"Authorization", "Bearer " + t.json()["token"]["token"].get<std::string>()}}};
}

void Depot::restart(ServerProcess::Options options) {
  client_.reset();
  process.reset();
  process = std::make_unique<ServerProcess>(db.url(), std::move(options));
  client_ = std::make_unique<HttpClient>(process->client());
}

HttpResponse Depot::call(HttpClient& c, const std::string& method, const std::string& target, const Credentials& who,
                         const json& body) const {
  Headers h = who.headers;
  if (body.is_null()) return c.request(method, target, {}, h);
  h.emplace_back("Content-Type", "application/json");
  return c.request(method, target, body.dump(), h);
}

HttpResponse Depot::call(const std::string& method, const std::string& target, const Credentials& who,
                         const json& body) {
  return call(*client_, method, target, who, body);
}

std::unique_ptr<storage::Database> Depot::open_db() const { return storage::open_database(db.url(), {}); }

std::int64_t Depot::count(const std::string& from_where, storage::Params params) const {
  auto database = open_db();
  auto n = run_sync(database->read(storage::job(storage::query_int, "SELECT COUNT(*) FROM " + from_where, std::move(params))));
  database->close();
  return n;
}

void check_error(const HttpResponse& r, int status, const std::string& code) {
  CHECK(r.status == status);
  CHECK(r.header("content-type") == "application/json");
  const auto j = json::parse(r.body, nullptr, false);
  REQUIRE_MESSAGE(j.is_object(), r.body);
  REQUIRE_MESSAGE(j.contains("error"), r.body);
  CHECK_MESSAGE(j["error"]["code"] == code, r.body);
  CHECK(j["error"]["message"].is_string());
  CHECK_FALSE(j["error"]["message"].get<std::string>().empty());
}

}  // namespace tt::test

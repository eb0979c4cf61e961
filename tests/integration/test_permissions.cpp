// The permission table: EVERY route of the server, with the status each kind of caller gets.
//
// The test asks the binary for its routes (`tracetrack routes`) and fails when a registered route
// has no row here, or a row names a route that does not exist: a new route cannot ship without
// its permissions written down and checked.
//
// Adding a route: add one row to kRoutes below, with
//   method and pattern  exactly as registered (`tracetrack routes` prints them);
//   target              the URL requested: a real object of the fixture (see the list of
//                       fixture data below) for area-scoped routes, so that the wrong-area
//                       dispatcher's 404 is meaningful;
//   body                JSON for writes (nullptr for none). Prefer a body that reaches the handler
//                       without changing anything another row relies on (an invalid field, an
//                       object already in that state) or one of the objects kept for this table;
//   one status per caller, in the column order of the table:
//     anon      no credentials at all
//     disp      dispatcher of Lucknow (API token)
//     biller    biller of Lucknow (API token)
//     admin     admin (API token)
//     other     dispatcher of Kanpur (API token): 404 on another area's objects
//     expired   a session cookie past its absolute end (with its CSRF header)
//     no_csrf   the admin's session cookie WITHOUT the X-CSRF-Token header: 403 on writes
//     revoked   a revoked API token
//   kPass where the caller is let in but the exact answer depends on rows run before (any status
//   but 401, 403 and 404). Callers run in the order anon, revoked, expired, no_csrf, other, disp,
//   biller, admin, and rows top to bottom.
//
// Fixture data (all in Lucknow, made by a separate user "setup" so nobody's "undo" sees it):
//   parent SB10001 with children PERMCHILD01 and PERMCHILD02, on bill PERM-BILL-1;
//   parent SB10009 (deleted by its row); bills PERM-BILL-2 (completed, then reopened by their
//   rows) and PERM-BILL-9 (deleted); user perm-target (changed and deactivated by its rows);
//   token {perm_token} (revoked by its row); return tickets PERM-RET-1 (open, empty) and
//   PERM-RET-2 (cancelled by its row).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "accounts_fixture.hpp"
#include "util/ids.hpp"

using namespace tt::test;
using nlohmann::json;

namespace {

constexpr int kPass = -1;

struct Expect {
  int anon, disp, biller, admin, other, expired, no_csrf, revoked;
};

struct RouteRow {
  const char* method;
  const char* pattern;
  const char* target;
  const char* body;  // JSON text, or nullptr
  Expect expect;
  bool stream = false;  // a never-ending response (server-sent events): only the status is read
};

// clang-format off
const RouteRow kRoutes[] = {
  // method    pattern                                   target                                    body
  //                                                     anon disp bill adm  oth  exp  csrf rev
  // --- public ---
  {"GET",    "/healthz",                               "/healthz",                               nullptr,
                                                       {200, 200, 200, 200, 200, 200, 200, 200}},
  {"GET",    "/readyz",                                "/readyz",                                nullptr,
                                                       {200, 200, 200, 200, 200, 200, 200, 200}},
  {"GET",    "/",                                      "/",                                      nullptr,
                                                       {200, 200, 200, 200, 200, 200, 200, 200}},
  {"GET",    "/index.html",                            "/index.html",                            nullptr,
                                                       {200, 200, 200, 200, 200, 200, 200, 200}},
  // A login without fields: the handler answers for everyone, and no attempt is counted.
  {"POST",   "/api/v1/auth/login",                     "/api/v1/auth/login",                     "{}",
                                                       {400, 400, 400, 400, 400, 400, 400, 400}},
  // The second step of a sign-in without fields: the handler answers for everyone.
  {"POST",   "/api/v1/auth/login/second-factor",       "/api/v1/auth/login/second-factor",       "{}",
                                                       {400, 400, 400, 400, 400, 400, 400, 400}},
  // --- any signed-in user ---
  // Logging out with an API token ends nothing (tokens are revoked, not logged out).
  {"POST",   "/api/v1/auth/logout",                    "/api/v1/auth/logout",                    nullptr,
                                                       {401, 200, 200, 200, 200, 401, 403, 401}},
  // Prometheus scrapes with an API token of a user made for it.
  {"GET",    "/metrics",                               "/metrics",                               nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  {"GET",    "/api/v1/auth/me",                        "/api/v1/auth/me",                        nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  {"GET",    "/api/v1/auth/sessions",                  "/api/v1/auth/sessions",                  nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  // Signing out other devices is for browser sessions; the table's callers use tokens.
  {"DELETE", "/api/v1/auth/sessions",                  "/api/v1/auth/sessions",                  nullptr,
                                                       {401, 400, 400, 400, 400, 401, 403, 401}},
  {"POST",   "/api/v1/auth/password",                  "/api/v1/auth/password",
             R"({"old_password": "whatever", "new_password": "short"})",
                                                       {401, 422, 422, 422, 422, 401, 403, 401}},
  {"GET",    "/api/v1/areas",                          "/api/v1/areas",                          nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  // One's own second factor: a token's user may set one up too (it changes sign-ins, not tokens).
  {"GET",    "/api/v1/auth/second-factor",             "/api/v1/auth/second-factor",             nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  {"POST",   "/api/v1/auth/second-factor/setup",       "/api/v1/auth/second-factor/setup",       nullptr,
                                                       {401, 200, 200, 200, 200, 401, 403, 401}},
  {"POST",   "/api/v1/auth/second-factor/enable",      "/api/v1/auth/second-factor/enable",      R"({"code": "000000x"})",
                                                       {401, 422, 422, 422, 422, 401, 403, 401}},
  {"POST",   "/api/v1/auth/second-factor/recovery-codes", "/api/v1/auth/second-factor/recovery-codes", "{}",
                                                       {401, 400, 400, 400, 400, 401, 403, 401}},
  {"POST",   "/api/v1/auth/second-factor/disable",     "/api/v1/auth/second-factor/disable",     "{}",
                                                       {401, 400, 400, 400, 400, 401, 403, 401}},
  // --- administration: admin only ---
  {"POST",   "/api/v1/users",                          "/api/v1/users",                          "{}",
                                                       {401, 403, 403, 400, 403, 401, 403, 401}},
  {"GET",    "/api/v1/users",                          "/api/v1/users",                          nullptr,
                                                       {401, 403, 403, 200, 403, 401, 200, 401}},
  {"GET",    "/api/v1/users/{username}",               "/api/v1/users/perm-target",              nullptr,
                                                       {401, 403, 403, 200, 403, 401, 200, 401}},
  {"PATCH",  "/api/v1/users/{username}",               "/api/v1/users/perm-target",
             R"({"email": "target@depot.example"})",
                                                       {401, 403, 403, 200, 403, 401, 403, 401}},
  // perm-target has no second factor: the admin reaches the handler, which says so.
  {"DELETE", "/api/v1/users/{username}/second-factor", "/api/v1/users/perm-target/second-factor", nullptr,
                                                       {401, 403, 403, 409, 403, 401, 403, 401}},
  {"DELETE", "/api/v1/users/{username}",               "/api/v1/users/perm-target",              nullptr,
                                                       {401, 403, 403, 200, 403, 401, 403, 401}},
  {"POST",   "/api/v1/areas",                          "/api/v1/areas",                          R"({"name": ""})",
                                                       {401, 403, 403, 422, 403, 401, 403, 401}},
  {"POST",   "/api/v1/tokens",                         "/api/v1/tokens",                         R"({"name": ""})",
                                                       {401, 403, 403, 422, 403, 401, 403, 401}},
  {"GET",    "/api/v1/tokens",                         "/api/v1/tokens",                         nullptr,
                                                       {401, 403, 403, 200, 403, 401, 200, 401}},
  {"DELETE", "/api/v1/tokens/{id}",                    "/api/v1/tokens/{perm_token}",            nullptr,
                                                       {401, 403, 403, 200, 403, 401, 403, 401}},
  {"POST",   "/api/v1/sites",                          "/api/v1/sites",                          R"({"name": ""})",
                                                       {401, 403, 403, 400, 403, 401, 403, 401}},
  {"GET",    "/api/v1/sites",                          "/api/v1/sites",                          nullptr,
                                                       {401, 403, 403, 200, 403, 401, 200, 401}},
  {"POST",   "/api/v1/sites/{id}/token",               "/api/v1/sites/no-such-site/token",       "{}",
                                                       {401, 403, 403, 404, 403, 401, 403, 401}},
  {"DELETE", "/api/v1/sites/{id}/token",               "/api/v1/sites/no-such-site/token",       nullptr,
                                                       {401, 403, 403, 404, 403, 401, 403, 401}},
  // --- synchronisation: a depot's sync token only; every user is forbidden ---
  {"GET",    "/api/v1/sync/state",                     "/api/v1/sync/state",                     nullptr,
                                                       {401, 403, 403, 403, 403, 401, 403, 401}},
  {"POST",   "/api/v1/sync/push",                      "/api/v1/sync/push",                      "{}",
                                                       {401, 403, 403, 403, 403, 401, 403, 401}},
  {"GET",    "/api/v1/sync/feed",                      "/api/v1/sync/feed",                      nullptr,
                                                       {401, 403, 403, 403, 403, 401, 403, 401}},
  // Conflicts (head office) and the pusher's status (a depot): administrators.
  {"GET",    "/api/v1/sync/conflicts",                 "/api/v1/sync/conflicts",                 nullptr,
                                                       {401, 403, 403, 200, 403, 401, 200, 401}},
  {"POST",   "/api/v1/sync/conflicts/{uid}/resolve",   "/api/v1/sync/conflicts/no-such/resolve", "{\"resolution\": \"accept\"}",
                                                       {401, 403, 403, 404, 403, 401, 403, 401}},
  {"GET",    "/api/v1/sync/status",                    "/api/v1/sync/status",                    nullptr,
                                                       {401, 403, 403, 200, 403, 401, 200, 401}},
  // The permission fixture has no upstream: the admin reaches the handler, which says so.
  {"POST",   "/api/v1/sync/retry",                     "/api/v1/sync/retry",                     "{}",
                                                       {401, 403, 403, 409, 403, 401, 403, 401}},
  {"GET",    "/api/v1/audit",                          "/api/v1/audit",                          nullptr,
                                                       {401, 403, 403, 200, 403, 401, 200, 401}},
  {"GET",    "/api/v1/settings",                       "/api/v1/settings",                       nullptr,
                                                       {401, 403, 403, 200, 403, 401, 200, 401}},
  {"PATCH",  "/api/v1/settings",                       "/api/v1/settings",                       "{}",
                                                       {401, 403, 403, kPass, 403, 401, 403, 401}},
  {"GET",    "/api/v1/settings/catalog",               "/api/v1/settings/catalog",               nullptr,
                                                       {401, 403, 403, 200, 403, 401, 200, 401}},
  // --- scanning: every role, area-checked ---
  {"POST",   "/api/v1/scans/parent",                   "/api/v1/scans/parent",                   R"({"code": ""})",
                                                       {401, 422, 422, 422, 422, 401, 403, 401}},
  // Already in that parent: answered without change; another area's parent does not exist.
  {"POST",   "/api/v1/scans/child",                    "/api/v1/scans/child",
             R"({"parent": "SB10001", "code": "PERMCHILD01"})",
                                                       {401, 200, 200, 200, 404, 401, 403, 401}},
  // None of these callers linked a bag in the last hour.
  {"POST",   "/api/v1/scans/undo",                     "/api/v1/scans/undo",                     nullptr,
                                                       {401, 404, 404, 404, 404, 401, 403, 401}},
  // --- bags ---
  {"GET",    "/api/v1/bags",                           "/api/v1/bags",                           nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  {"GET",    "/api/v1/bags/{code}",                    "/api/v1/bags/SB10001",                   nullptr,
                                                       {401, 200, 200, 200, 404, 401, 200, 401}},
  {"POST",   "/api/v1/bags/{code}/relink",             "/api/v1/bags/PERMCHILD01/relink",        R"({"parent": "SB10001"})",
                                                       {401, 200, 200, 200, 404, 401, 403, 401}},
  // The dispatcher frees the child; after that there is no link left to remove.
  {"DELETE", "/api/v1/bags/{code}/link",               "/api/v1/bags/PERMCHILD02/link",          nullptr,
                                                       {401, 200, 409, 409, 404, 401, 403, 401}},
  // Billers and admins only; SB10001 is on PERM-BILL-1, so it stays where it is.
  {"POST",   "/api/v1/bags/{code}/area",               "/api/v1/bags/SB10001/area",              R"({"area": "Kanpur"})",
                                                       {401, 403, 409, 409, 403, 401, 403, 401}},
  {"DELETE", "/api/v1/bags/{code}",                    "/api/v1/bags/SB10009",                   nullptr,
                                                       {401, 403, 403, 200, 403, 401, 403, 401}},
  // --- bills ---
  {"POST",   "/api/v1/bills",                          "/api/v1/bills",                          "{}",
                                                       {401, 403, 400, 400, 403, 401, 403, 401}},
  {"GET",    "/api/v1/bills",                          "/api/v1/bills",                          nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  {"GET",    "/api/v1/bills/{code}",                   "/api/v1/bills/PERM-BILL-1",              nullptr,
                                                       {401, 200, 200, 200, 404, 401, 200, 401}},
  {"GET",    "/api/v1/bills/{code}/report.csv",        "/api/v1/bills/PERM-BILL-1/report.csv",   nullptr,
                                                       {401, 200, 200, 200, 404, 401, 200, 401}},
  {"PATCH",  "/api/v1/bills/{code}",                   "/api/v1/bills/PERM-BILL-1",
             R"({"description": "checked by the permission table"})",
                                                       {401, 403, 200, 200, 403, 401, 403, 401}},
  {"DELETE", "/api/v1/bills/{code}",                   "/api/v1/bills/PERM-BILL-9",              nullptr,
                                                       {401, 403, 403, 200, 403, 401, 403, 401}},
  {"POST",   "/api/v1/bills/{code}/parents",           "/api/v1/bills/PERM-BILL-1/parents",      R"({"code": "SB10001"})",
                                                       {401, 403, kPass, kPass, 403, 401, 403, 401}},
  {"DELETE", "/api/v1/bills/{code}/parents/{parent}",  "/api/v1/bills/PERM-BILL-1/parents/SB19999", nullptr,
                                                       {401, 403, 404, 404, 403, 401, 403, 401}},
  {"POST",   "/api/v1/bills/{code}/complete",          "/api/v1/bills/PERM-BILL-2/complete",     nullptr,
                                                       {401, 403, 200, kPass, 403, 401, 403, 401}},
  {"POST",   "/api/v1/bills/{code}/reopen",            "/api/v1/bills/PERM-BILL-2/reopen",       nullptr,
                                                       {401, 403, 403, 200, 403, 401, 403, 401}},
  // --- dashboard and live events ---
  {"GET",    "/api/v1/stats",                          "/api/v1/stats",                          nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  {"GET",    "/api/v1/events",                         "/api/v1/events",                         nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}, true},
  // --- CSV exports: reading rows, as for search; the audit log for admins ---
  {"GET",    "/api/v1/export/bags.csv",                "/api/v1/export/bags.csv",                nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  {"GET",    "/api/v1/export/bills.csv",               "/api/v1/export/bills.csv",               nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  {"GET",    "/api/v1/export/scans.csv",               "/api/v1/export/scans.csv",               nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  {"GET",    "/api/v1/export/audit.csv",               "/api/v1/export/audit.csv",               nullptr,
                                                       {401, 403, 403, 200, 403, 401, 200, 401}},
  {"GET",    "/api/v1/export/links.csv",               "/api/v1/export/links.csv",               nullptr,
                                                       {401, 200, 200, 200, 200, 401, 200, 401}},
  // --- return tickets: billers and admins ---
  {"POST",   "/api/v1/returns",                        "/api/v1/returns",                        R"({"code": ""})",
                                                       {401, 403, 422, 422, 403, 401, 403, 401}},
  {"GET",    "/api/v1/returns",                        "/api/v1/returns",                        nullptr,
                                                       {401, 403, 200, 200, 403, 401, 200, 401}},
  {"GET",    "/api/v1/returns/{code}",                 "/api/v1/returns/PERM-RET-1",             nullptr,
                                                       {401, 403, 200, 200, 403, 401, 200, 401}},
  // A child bag is refused a place on a ticket.
  {"POST",   "/api/v1/returns/{code}/bags",            "/api/v1/returns/PERM-RET-1/bags",        R"({"code": "PERMCHILD01"})",
                                                       {401, 403, 422, 422, 403, 401, 403, 401}},
  {"DELETE", "/api/v1/returns/{code}/bags/{parent}",   "/api/v1/returns/PERM-RET-1/bags/SB19999", nullptr,
                                                       {401, 403, 404, 404, 403, 401, 403, 401}},
  // An empty ticket is not committed.
  {"POST",   "/api/v1/returns/{code}/commit",          "/api/v1/returns/PERM-RET-1/commit",      nullptr,
                                                       {401, 403, 400, 400, 403, 401, 403, 401}},
  {"POST",   "/api/v1/returns/{code}/cancel",          "/api/v1/returns/PERM-RET-2/cancel",      nullptr,
                                                       {401, 403, 200, kPass, 403, 401, 403, 401}},
  // --- import: admin only; "{}" is no CSV header ---
  {"POST",   "/api/v1/import/links",                   "/api/v1/import/links?mode=check",        "{}",
                                                       {401, 403, 403, 400, 403, 401, 403, 401}},
  // --- reports: billers and admins ---
  {"GET",    "/api/v1/reports/scans",                  "/api/v1/reports/scans",                  nullptr,
                                                       {401, 403, 200, 200, 403, 401, 200, 401}},
  {"GET",    "/api/v1/reports/scans.csv",              "/api/v1/reports/scans.csv",              nullptr,
                                                       {401, 403, 200, 200, 403, 401, 200, 401}},
  {"GET",    "/api/v1/reports/bills",                  "/api/v1/reports/bills",                  nullptr,
                                                       {401, 403, 200, 200, 403, 401, 200, 401}},
  {"GET",    "/api/v1/reports/bills.csv",              "/api/v1/reports/bills.csv",              nullptr,
                                                       {401, 403, 200, 200, 403, 401, 200, 401}},
};
// clang-format on

enum Column { anon, disp, biller, admin, other, expired, no_csrf, revoked };
const char* const kColumnNames[] = {"anon", "disp", "biller", "admin", "other", "expired", "no_csrf", "revoked"};
// Least privileged first: a refused request changes nothing, so the allowed ones find the
// fixture as described above.
const Column kOrder[] = {anon, revoked, expired, no_csrf, other, disp, biller, admin};

int expected(const Expect& e, Column c) {
  switch (c) {
    case anon: return e.anon;
    case disp: return e.disp;
    case biller: return e.biller;
    case admin: return e.admin;
    case other: return e.other;
    case expired: return e.expired;
    case no_csrf: return e.no_csrf;
    case revoked: return e.revoked;
  }
  return 0;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

// The status line of a response that may never end (server-sent events), read from a raw socket.
int stream_status(std::uint16_t port, const std::string& target, const Headers& headers) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [n, v] : headers) req += n + ": " + v + "\r\n";
  req += "\r\n";
  REQUIRE(send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size()));
  std::string got;
  char buf[512];
  while (got.find("\r\n") == std::string::npos) {
    auto n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  // "HTTP/1.1 200 OK"
  if (got.size() < 12) return 0;
  return std::stoi(got.substr(9, 3));
}

struct RegisteredRoute {
  std::string who;  // "public" or the roles allowed, comma-separated
};

std::map<std::pair<std::string, std::string>, RegisteredRoute> registered_routes() {
  auto r = run_tracetrack({"routes"});
  REQUIRE(r.exit_code == 0);
  std::map<std::pair<std::string, std::string>, RegisteredRoute> out;
  std::istringstream lines(r.output);
  std::string method, pattern, who;
  while (lines >> method >> pattern >> who) out[{method, pattern}] = RegisteredRoute{who};
  REQUIRE_FALSE(out.empty());
  return out;
}

// The web interface's routes (embedded files and page addresses): public GETs outside /api/ other
// than the probes. They are many and change with the interface, so a test of their own covers them.
bool is_web_route(const std::pair<std::string, std::string>& key, const RegisteredRoute& r) {
  const std::string& pattern = key.second;
  return key.first == "GET" && r.who == "public" && !pattern.starts_with("/api/") && pattern != "/healthz" &&
         pattern != "/readyz" && pattern != "/metrics";
}

bool allows(const std::string& who, const char* role) {
  return who == "public" || ("," + who + ",").find(std::string(",") + role + ",") != std::string::npos;
}

// The table and its fixture: a server with areas, one user of each role, and the callers.
struct PermissionWorld {
  AccountsServer server;
  std::map<Column, Caller> callers;
  std::string perm_token;

  PermissionWorld() {
    server.add_area("Lucknow");
    server.add_area("Kanpur");
    const std::string pw = "permission-table-pw";
    server.add_user("dev", pw, "dispatcher", "Lucknow");
    server.add_user("bina", pw, "biller", "Lucknow");
    server.add_user("kiran", pw, "dispatcher", "Kanpur");
    server.add_user("setup", pw, "biller", "Lucknow");
    server.add_user("perm-target", pw, "dispatcher", "Lucknow");

    callers[anon] = Caller{};
    callers[disp] = AccountsServer::bearer(server.add_token("dev", "dev").secret);
    callers[biller] = AccountsServer::bearer(server.add_token("bina", "bina").secret);
    callers[admin] = AccountsServer::bearer(server.add_token("admin", "admin").secret);
    callers[other] = AccountsServer::bearer(server.add_token("kiran", "kiran").secret);

    // A session of the dispatcher past its absolute end: refused although cookie and CSRF match.
    Caller old_session = server.sign_in("dev", pw);
    server.sql("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2",
               tt::storage::params(std::int64_t{1}, tt::util::sha256_hex(old_session.session_token)));
    callers[expired] = old_session;

    Caller cookie_only = server.sign_in("admin", kTestAdminPassword);
    cookie_only.headers = {{"Cookie", "tt_session=" + cookie_only.session_token}};
    callers[no_csrf] = cookie_only;

    auto withdrawn = server.add_token("withdrawn", "dev");
    REQUIRE(server.call("DELETE", "/api/v1/tokens/" + withdrawn.id, server.admin).status == 200);
    callers[revoked] = AccountsServer::bearer(withdrawn.secret);

    perm_token = server.add_token("perm-revoke", "dev").id;

    Caller setup = AccountsServer::bearer(server.add_token("setup", "setup").secret);
    auto must = [&](const char* method, const std::string& target, const json& body) {
      auto r = server.call(method, target, setup, body);
      INFO(method << " " << target << " -> " << r.status << " " << r.body);
      REQUIRE(r.status / 100 == 2);
    };
    must("POST", "/api/v1/scans/parent", {{"code", "SB10001"}});
    must("POST", "/api/v1/scans/child", {{"parent", "SB10001"}, {"code", "PERMCHILD01"}});
    must("POST", "/api/v1/scans/child", {{"parent", "SB10001"}, {"code", "PERMCHILD02"}});
    must("POST", "/api/v1/scans/parent", {{"code", "SB10009"}});
    for (const char* bill : {"PERM-BILL-1", "PERM-BILL-2", "PERM-BILL-9"}) {
      must("POST", "/api/v1/bills", {{"code", bill}, {"description", "permission table"}, {"capacity", 5}});
    }
    must("POST", "/api/v1/bills/PERM-BILL-1/parents", {{"code", "SB10001"}});
    for (const char* ticket : {"PERM-RET-1", "PERM-RET-2"}) must("POST", "/api/v1/returns", {{"code", ticket}});
  }
};

}  // namespace

TEST_CASE("permissions: the table names every registered route, and only those") {
  auto routes = registered_routes();
  std::set<std::pair<std::string, std::string>> in_table;
  for (const auto& row : kRoutes) {
    const std::pair<std::string, std::string> key{row.method, row.pattern};
    CHECK_MESSAGE(in_table.insert(key).second, "listed twice: " << row.method << " " << row.pattern);
    CHECK_MESSAGE(routes.contains(key), "the table names a route that is not registered: " << row.method << " "
                                                                                          << row.pattern);
  }
  for (const auto& [key, route] : routes) {
    if (is_web_route(key, route)) continue;  // the web interface's test below
    CHECK_MESSAGE(in_table.contains(key), "registered route without a row in the permission table: "
                                              << key.first << " " << key.second
                                              << " (add it to kRoutes in tests/integration/test_permissions.cpp)");
  }
}

TEST_CASE("permissions: every file and page of the web interface is public and only GET") {
  AccountsServer server;
  int web_routes = 0;
  for (const auto& [key, route] : registered_routes()) {
    const std::string& pattern = key.second;
    if (pattern.starts_with("/api/")) {
      CHECK_MESSAGE(!is_web_route(key, route), pattern);
      continue;
    }
    if (key.first != "GET") {
      CHECK_MESSAGE(route.who == "public", key.first << " " << pattern);  // probes only
      continue;
    }
    if (!is_web_route(key, route)) continue;
    ++web_routes;
    const std::string target = replace_all(pattern, "{code}", "SB12345");
    INFO("GET " << target);
    const auto r = server.call("GET", target, Caller{}, nullptr);
    CHECK(r.status == 200);
  }
  CHECK(web_routes >= 5);  // index, the pages, scripts, styles
}

TEST_CASE("permissions: the table agrees with the roles each route declares") {
  auto routes = registered_routes();
  for (const auto& row : kRoutes) {
    auto it = routes.find({row.method, row.pattern});
    if (it == routes.end()) continue;  // reported by the test above
    const std::string& who = it->second.who;
    INFO(row.method << " " << row.pattern << " declares " << who);
    const bool open = who == "public";
    CHECK((row.expect.anon == 401) == !open);
    CHECK((row.expect.revoked == 401) == !open);
    CHECK((row.expect.expired == 401) == !open);
    CHECK((row.expect.disp == 403) == !allows(who, "dispatcher"));
    CHECK((row.expect.other == 403) == !allows(who, "dispatcher"));
    CHECK((row.expect.biller == 403) == !allows(who, "biller"));
    CHECK((row.expect.admin == 403) == !allows(who, "admin"));
  }
}

TEST_CASE("permissions: every route answers every kind of caller as the table says") {
  PermissionWorld world;
  auto& server = world.server;
  for (const auto& row : kRoutes) {
    const std::string target = replace_all(row.target, "{perm_token}", world.perm_token);
    const bool write = std::string(row.method) != "GET" && std::string(row.method) != "HEAD";
    for (Column c : kOrder) {
      const Caller& who = world.callers[c];
      const int want = expected(row.expect, c);
      INFO(row.method << " " << target << " as " << kColumnNames[c]);
      if (row.stream) {
        CHECK(stream_status(server.process->port(), target, who.headers) == want);
        continue;
      }
      json body = row.body ? json::parse(row.body) : json(nullptr);
      auto r = server.call(row.method, target, who, body);
      INFO("answer: " << r.status << " " << r.body);
      if (want == kPass) {
        CHECK(r.status != 401);
        CHECK(r.status != 403);
        CHECK(r.status != 404);
        CHECK(r.status < 500);
        continue;
      }
      CHECK(r.status == want);
      // Refusals say why, in the error format.
      const auto code = error_code(r);
      const bool is_public = row.expect.anon != 401;
      if (r.status == 401 && !is_public) CHECK(code == "unauthenticated");
      // A synchronisation route forbids every user before it looks at a session's CSRF header.
      const bool site_route = std::string_view(row.pattern) == "/api/v1/sync/state" ||
                              std::string_view(row.pattern) == "/api/v1/sync/push" ||
                              std::string_view(row.pattern) == "/api/v1/sync/feed";
      if (r.status == 403) CHECK(code == (c == no_csrf && write && !site_route ? "csrf_failed" : "forbidden"));
    }
  }
}

// A small depot for the service tests: two areas, a user of each role, the default settings, and
// synchronous wrappers that run one service call in its own transaction.
#pragma once

#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/error_status.hpp"
#include "domain/errors.hpp"
#include "domain/settings.hpp"
#include "http/message.hpp"
#include "services/settings.hpp"
#include "services/bags.hpp"
#include "services/bills.hpp"
#include "services/caller.hpp"
#include "services/links.hpp"
#include "services/scans.hpp"
#include "support/storage_helpers.hpp"
#include "support/test_db.hpp"

namespace tt::test {

using services::Caller;
using services::SettingsPtr;

inline asio::awaitable<std::int64_t> add_user(Tx& tx, std::string name, std::string role,
                                              std::optional<std::int64_t> area) {
  auto row = co_await tx.query_one(
      "INSERT INTO users (uid, username, password_hash, role, area_id, created_at, updated_at, password_changed_at)"
      " VALUES ($1, $2, 'not-a-hash', $3, $4, $5, $5, $5) RETURNING id",
      params(util::uuid_v7(), name, role, area, some_time));
  co_return row->i64(0);
}

// No client scan id: the scan services' last argument, for a scan made without one.
inline const std::optional<std::string> kNoClientScanId;

// A bill of `capacity` holding `parents` (each must go on), completed when asked, in one transaction.
inline asio::awaitable<void> make_bill(Tx& tx, Caller c, std::string code, std::int64_t capacity,
                                       std::vector<std::string> parents, bool complete, SettingsPtr s) {
  const services::NewBill bill{code, "", std::nullopt, std::nullopt, capacity};  // not braced inside co_await (storage/job.hpp)
  co_await services::create_bill(tx, c, bill, s);
  for (const auto& p : parents) {
    auto fill = co_await services::add_parent_to_bill(tx, c, code, p, s, kNoClientScanId);
    if (fill.refusal) throw std::runtime_error(fill.refusal->message);
  }
  if (complete) co_await services::complete_bill(tx, c, code, s);
}

struct World {
  std::unique_ptr<Database> db = open_test_database();
  std::int64_t lucknow = 0;
  std::int64_t kanpur = 0;
  Caller admin, biller, dispatcher, other_dispatcher;  // dispatcher: Lucknow; other: Kanpur
  SettingsPtr settings = std::make_shared<const domain::Settings>();

  World() {
    lucknow = run_sync(db->write(storage::job(add_area, "Lucknow")));
    kanpur = run_sync(db->write(storage::job(add_area, "Kanpur")));
    admin = make("admin", domain::Role::admin, std::nullopt);
    biller = make("bina", domain::Role::biller, lucknow);
    dispatcher = make("dev", domain::Role::dispatcher, lucknow);
    other_dispatcher = make("kiran", domain::Role::dispatcher, kanpur);
  }

  Caller make(std::string name, domain::Role role, std::optional<std::int64_t> area) {
    const std::string r(domain::to_string(role));
    const auto id = run_sync(db->write(storage::job(add_user, name, r, area)));
    Caller who;
    who.user_id = id;
    who.username = name;
    who.role = role;
    who.area_id = area;
    who.client = "127.0.0.1";
    return who;
  }

  void bill(const Caller& c, std::string code, std::int64_t capacity, std::vector<std::string> parents,
            bool complete = false) {
    run_sync(db->write(storage::job(make_bill, c, std::move(code), capacity, std::move(parents), complete, settings)));
  }

  void use_settings(domain::Settings s) { settings = std::make_shared<const domain::Settings>(std::move(s)); }

  services::ParentScan parent(const Caller& c, std::string code) {
    auto s = settings;
    return run_sync(db->write(storage::job(services::scan_parent, c, code, s, kNoClientScanId)));
  }
  services::ChildScan child(const Caller& c, std::string parent, std::string code) {
    auto s = settings;
    return run_sync(db->write(storage::job(services::scan_child, c, parent, code, s, kNoClientScanId)));
  }
  // A parent holding `n` new children named <prefix>-1 ... <prefix>-n.
  void fill(const Caller& c, const std::string& parent_code, int n, const std::string& prefix) {
    REQUIRE_FALSE(parent(c, parent_code).refusal);
    for (int i = 1; i <= n; ++i) {
      REQUIRE(child(c, parent_code, prefix + "-" + std::to_string(i)).result == domain::ScanResult::linked);
    }
  }

  // COUNT(*) over `from_where` (a constant of the test) with its parameters.
  std::int64_t count(const std::string& from_where, storage::Params p = {}) {
    return run_sync(db->read(storage::job(storage::query_int, "SELECT COUNT(*) FROM " + from_where, p)));
  }
  std::int64_t links_of(const std::string& parent_code) {
    return count("links l JOIN bags p ON p.id = l.parent_id WHERE p.code = $1", params(parent_code));
  }
  // The parent a child is in now ("" when none).
  std::string parent_of(const std::string& child_code) {
    const storage::Rows rows = run_sync(db->read(storage::job(
        storage::query_rows,
        std::string("SELECT p.code FROM links l JOIN bags c ON c.id = l.child_id JOIN bags p ON p.id = l.parent_id"
                    " WHERE c.code = $1"),
        params(child_code))));
    return rows.empty() ? std::string() : rows[0].text(0);
  }
};

// The error code an operation throws as domain::Failure ("" when it succeeds).
inline std::string error_code(const std::function<void()>& op) {
  try {
    op();
  } catch (const domain::Failure& e) {
    return std::string(domain::to_string(e.code));
  }
  return "";
}

// A refusal's error code and the HTTP status it is answered with.
inline std::string code_of(const services::Refusal& r) { return std::string(domain::to_string(r.code)); }
inline int status_of(const services::Refusal& r) { return api::http_status(r.code); }

}  // namespace tt::test

#include "seed/seed_writer.hpp"

#include <algorithm>
#include <unordered_map>

#include "domain/audit_actions.hpp"
#include "storage/bulk_insert.hpp"
#include "util/ids.hpp"

namespace tt::seed {

namespace {

// Rows written by the generator name it as their client, so the history says where they came from.
constexpr const char* kClient = "seed";
constexpr std::int64_t kMinuteUs = 60LL * 1000000;

using domain::AuditAction;
using storage::BulkInsert;
using IdsByCode = std::unordered_map<std::string, std::int64_t>;

void remember(IdsByCode& ids, const storage::Rows& rows) {
  for (const auto& r : rows) ids.emplace(r.text(1), r.i64(0));
}

BulkInsert bag_insert() {
  return BulkInsert("INSERT INTO bags (uid, code, type, kind, area_id, created_by, created_at)", 7, " RETURNING id, code");
}

BulkInsert scan_insert() {
  return BulkInsert(
      "INSERT INTO scan_events (uid, at, user_id, area_id, client, action, code, parent_code, bill_code, result, reason)",
      11);
}

BulkInsert audit_insert() {
  return BulkInsert(
      "INSERT INTO audit_log (uid, at, user_id, username, action, entity, entity_key, before_json, after_json, client)",
      10);
}

// The stored form of an action, the same the services write (domain/audit_actions.hpp).
std::string action(AuditAction a) { return std::string(domain::to_string(a)); }

std::string json_text(std::string_view s) {
  // Seeded codes and names are letters, digits, '-', '.' and ' ': nothing to escape.
  std::string out = "\"";
  out += s;
  out += '"';
  return out;
}

// Flushes a batch when it is full; RETURNING rows, if any, go into ids.
asio::awaitable<void> flush_if_full(storage::Tx& tx, BulkInsert& b, IdsByCode* ids = nullptr) {
  if (!b.full()) co_return;
  auto rows = co_await b.flush(tx);
  if (ids) remember(*ids, rows);
}

asio::awaitable<void> flush_all(storage::Tx& tx, BulkInsert& b, IdsByCode* ids = nullptr) {
  auto rows = co_await b.flush(tx);
  if (ids) remember(*ids, rows);
}

std::int64_t id_of(const IdsByCode& ids, const std::string& code) {
  auto it = ids.find(code);
  if (it == ids.end()) throw storage::DbError("seed: bag " + code + " was not written");
  return it->second;
}

}  // namespace

asio::awaitable<std::int64_t> count_bags(storage::Tx& tx) {
  auto row = co_await tx.query_one("SELECT COUNT(*) FROM bags");
  co_return row->i64(0);
}

asio::awaitable<SeedAccounts> write_accounts(storage::Tx& tx, SeedOptions o, std::string password_hash,
                                             std::int64_t at) {
  SeedAccounts out;
  BulkInsert audit = audit_insert();
  for (int a = 0; a < o.areas; ++a) {
    const std::string name = area_name(a);
    auto row = co_await tx.query_one("INSERT INTO areas (uid, name, created_at) VALUES ($1, $2, $3) RETURNING id",
                                     storage::params(util::uuid_v7(), name, at));
    out.areas.push_back(row->i64(0));
    audit.add(util::uuid_v7(), at, storage::null(), storage::null(), action(AuditAction::area_create), "area", name,
              storage::null(), "{\"name\":" + json_text(name) + "}", kClient);
  }
  constexpr std::string_view kInsertUser =
      "INSERT INTO users (uid, username, password_hash, role, area_id, created_at, updated_at, password_changed_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $6, $6) RETURNING id";
  out.dispatchers.resize(static_cast<std::size_t>(o.areas));
  for (int a = 0; a < o.areas; ++a) {
    const std::int64_t area_id = out.areas[static_cast<std::size_t>(a)];
    for (int n = 0; n <= o.users_per_area; ++n) {
      // The first users of an area are its dispatchers, the last its biller.
      const bool biller = n == o.users_per_area;
      // Not a conditional expression (the coroutine rule: storage/job.hpp).
      std::string username;
      if (biller) username = biller_name(a);
      else username = dispatcher_name(a, n);
      const std::string role = biller ? "biller" : "dispatcher";
      auto row = co_await tx.query_one(
          kInsertUser, storage::params(util::uuid_v7(), username, password_hash, role, area_id, at));
      if (biller) out.billers.push_back(row->i64(0));
      else out.dispatchers[static_cast<std::size_t>(a)].push_back(row->i64(0));
      audit.add(util::uuid_v7(), at, storage::null(), storage::null(), action(AuditAction::user_create), "user",
                username, storage::null(),
                "{\"username\":" + json_text(username) + ",\"role\":" + json_text(role) +
                    ",\"area\":" + json_text(area_name(a)) + "}",
                kClient);
    }
  }
  co_await flush_all(tx, audit);
  co_return out;
}

asio::awaitable<void> write_parents(storage::Tx& tx, SeedOptions o, const SeedAccounts& accounts, int first,
                                    int end, std::int64_t end_us) {
  IdsByCode ids;
  ids.reserve(static_cast<std::size_t>(end - first) * static_cast<std::size_t>(o.children + 1));
  BulkInsert bags = bag_insert();
  BulkInsert scans = scan_insert();
  BulkInsert audit = audit_insert();

  // Who scanned parent p: one of its area's dispatchers, in turn.
  const auto scanner = [&](int p) {
    const auto& d = accounts.dispatchers[static_cast<std::size_t>(area_of_parent(o, p))];
    return d[static_cast<std::size_t>(p / o.areas) % d.size()];
  };
  const auto scanner_name = [&](int p) {
    const int a = area_of_parent(o, p);
    return dispatcher_name(a, (p / o.areas) % o.users_per_area);
  };

  // Bags first (their ids are needed by the links), parents and children alike.
  for (int p = first; p < end; ++p) {
    const std::int64_t area = accounts.areas[static_cast<std::size_t>(area_of_parent(o, p))];
    const std::string code = parent_code(p);
    const std::int64_t t = parent_time(o, p, end_us);
    bags.add(util::uuid_v7(), code, "parent", parent_kind(p), area, scanner(p), t);
    co_await flush_if_full(tx, bags, &ids);
    scans.add(util::uuid_v7(), t, scanner(p), area, kClient, "scan_parent", code, storage::null(), storage::null(),
              "created", storage::null());
    co_await flush_if_full(tx, scans);
    audit.add(util::uuid_v7(), t, scanner(p), scanner_name(p), action(AuditAction::bag_create), "bag", code,
              storage::null(), "{\"type\":\"parent\",\"kind\":" + json_text(parent_kind(p)) + "}", kClient);
    co_await flush_if_full(tx, audit);
    for (int c = 0; c < o.children; ++c) {
      bags.add(util::uuid_v7(), child_code(o, p, c), "child", storage::null(), area, scanner(p),
               child_time(o, p, c, end_us));
      co_await flush_if_full(tx, bags, &ids);
    }
  }
  co_await flush_all(tx, bags, &ids);

  BulkInsert links("INSERT INTO links (uid, parent_id, child_id, created_by, created_at)", 5);
  for (int p = first; p < end; ++p) {
    const std::int64_t area = accounts.areas[static_cast<std::size_t>(area_of_parent(o, p))];
    const std::string parent = parent_code(p);
    const std::int64_t parent_id = id_of(ids, parent);
    for (int c = 0; c < o.children; ++c) {
      const std::string child = child_code(o, p, c);
      const std::int64_t t = child_time(o, p, c, end_us);
      links.add(util::uuid_v7(), parent_id, id_of(ids, child), scanner(p), t);
      co_await flush_if_full(tx, links);
      scans.add(util::uuid_v7(), t, scanner(p), area, kClient, "scan_child", child, parent, storage::null(), "linked",
                storage::null());
      co_await flush_if_full(tx, scans);
      audit.add(util::uuid_v7(), t, scanner(p), scanner_name(p), action(AuditAction::link), "bag", child,
                storage::null(), "{\"parent\":" + json_text(parent) + ",\"created\":true}", kClient);
      co_await flush_if_full(tx, audit);
    }
  }
  co_await flush_all(tx, links);
  co_await flush_all(tx, scans);
  co_await flush_all(tx, audit);
}

asio::awaitable<void> write_bills(storage::Tx& tx, SeedOptions o, const SeedAccounts& accounts, int first, int end,
                                  std::int64_t end_us) {
  // The parents of these bills, by code.
  IdsByCode parents;
  {
    const int p0 = first_parent_of_bill(o, first);
    const int p1 = end_parent_of_bill(o, end - 1);
    for (int p = p0; p < p1; p += 500) {
      const int stop = std::min(p1, p + 500);
      std::string sql = "SELECT id, code FROM bags WHERE code IN (";
      storage::Params codes;
      for (int q = p; q < stop; ++q) {
        codes.push_back(parent_code(q));
        if (q > p) sql += ", ";
        sql += '$';
        sql += std::to_string(codes.size());
      }
      sql += ')';
      auto rows = co_await tx.query(sql, std::move(codes));
      remember(parents, rows);
    }
  }

  BulkInsert bills(
      "INSERT INTO bills (uid, code, description, destination, vehicle, capacity, status, area_id, created_by,"
      " created_at, updated_at, completed_at)",
      12, " RETURNING id, code");
  IdsByCode bill_ids;
  for (int b = first; b < end; ++b) {
    const int area = area_of_bill(o, b);
    const std::int64_t created = bill_created_at(o, b, end_us);
    const bool completed = bill_completed(o, b);
    const std::int64_t done = std::min(end_us, created + 30 * kMinuteUs);
    storage::Value completed_at = storage::null();  // not a conditional expression (storage/job.hpp)
    if (completed) completed_at = done;
    bills.add(util::uuid_v7(), bill_code(b), "Dispatch " + std::to_string(b + 1) + " from " + area_name(area),
              storage::null(), storage::null(), o.parents_per_bill, completed ? "completed" : "open",
              accounts.areas[static_cast<std::size_t>(area)], accounts.billers[static_cast<std::size_t>(area)], created,
              completed ? done : created, std::move(completed_at));
    co_await flush_if_full(tx, bills, &bill_ids);
  }
  co_await flush_all(tx, bills, &bill_ids);

  BulkInsert members("INSERT INTO bill_parents (uid, bill_id, parent_id, added_by, added_at)", 5);
  BulkInsert scans = scan_insert();
  BulkInsert audit = audit_insert();
  for (int b = first; b < end; ++b) {
    const int area = area_of_bill(o, b);
    const std::int64_t biller = accounts.billers[static_cast<std::size_t>(area)];
    const std::int64_t area_id = accounts.areas[static_cast<std::size_t>(area)];
    const std::string code = bill_code(b);
    const std::string who = biller_name(area);
    const int last = end_parent_of_bill(o, b) - 1;
    std::int64_t t = bill_created_at(o, b, end_us);
    audit.add(util::uuid_v7(), t, biller, who, action(AuditAction::bill_create), "bill", code, storage::null(),
              "{\"capacity\":" + std::to_string(o.parents_per_bill) + ",\"status\":\"open\"}", kClient);
    co_await flush_if_full(tx, audit);
    for (int p = first_parent_of_bill(o, b); p <= last; ++p) {
      const std::string parent = parent_code(p);
      t = std::min(end_us, t + 10 * 1000000);
      members.add(util::uuid_v7(), id_of(bill_ids, code), id_of(parents, parent), biller, t);
      co_await flush_if_full(tx, members);
      scans.add(util::uuid_v7(), t, biller, area_id, kClient, "bill_add", parent, storage::null(), code, "linked",
                storage::null());
      co_await flush_if_full(tx, scans);
      audit.add(util::uuid_v7(), t, biller, who, action(AuditAction::bill_add_parent), "bill", code, storage::null(),
                "{\"parent\":" + json_text(parent) + "}", kClient);
      co_await flush_if_full(tx, audit);
    }
    if (bill_completed(o, b)) {
      audit.add(util::uuid_v7(), std::min(end_us, t + kMinuteUs), biller, who, action(AuditAction::bill_complete),
                "bill", code, "{\"status\":\"open\"}", "{\"status\":\"completed\"}", kClient);
      co_await flush_if_full(tx, audit);
    }
  }
  co_await flush_all(tx, members);
  co_await flush_all(tx, scans);
  co_await flush_all(tx, audit);
}

}  // namespace tt::seed

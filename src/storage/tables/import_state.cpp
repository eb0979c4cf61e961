#include "storage/tables/import_state.hpp"

#include <algorithm>
#include <map>
#include <span>

#include "storage/sql_text.hpp"

namespace tt::storage::import_state {

namespace {

// Codes per statement: far below both backends' parameter limits, and few round trips.
constexpr std::size_t kChunk = 500;

// "($1, $2, ...)" for the values, appended to params.
template <class T>
std::string in_list(Params& params, std::span<const T> values) {
  std::string out = "(";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += placeholder(params, values[i]);
  }
  out += ')';
  return out;
}

template <class T>
std::vector<std::span<const T>> chunks(const std::vector<T>& all) {
  std::vector<std::span<const T>> out;
  for (std::size_t i = 0; i < all.size(); i += kChunk) {
    out.emplace_back(all.data() + i, std::min(kChunk, all.size() - i));
  }
  return out;
}

// The rows, locked when asked (a write transaction) or only read (a check).
asio::awaitable<Rows> select(Tx& tx, const std::string& sql, Params params, bool lock) {
  if (lock) co_return co_await tx.query_locked(sql, std::move(params));
  co_return co_await tx.query(sql, std::move(params));
}

}  // namespace

asio::awaitable<domain::ImportState> load(Tx& tx, std::vector<std::string> bag_codes,
                                          std::vector<std::string> bill_codes, bool lock) {
  domain::ImportState state;
  std::map<std::int64_t, std::string> code_of;  // bag id -> code
  std::vector<std::int64_t> parent_ids, child_ids;
  // Named, not temporaries in the loop heads (the coroutine rule: storage/job.hpp).
  const auto bag_chunks = chunks(bag_codes);
  for (auto codes : bag_chunks) {
    Params p;
    const std::string sql = "SELECT id, code, type, kind, area_id FROM bags WHERE code IN " + in_list(p, codes) + " ORDER BY id";
    const Rows rows = co_await select(tx, sql, std::move(p), lock);
    for (const auto& r : rows) {
      domain::ImportBag b;
      b.id = r.i64(0);
      b.is_parent = r.text(2) == "parent";
      b.kind = r.opt_text(3).value_or("");
      b.area_id = r.opt_i64(4);
      code_of.emplace(b.id, r.text(1));
      (b.is_parent ? parent_ids : child_ids).push_back(b.id);
      state.bags.emplace(r.text(1), std::move(b));
    }
  }
  const auto child_chunks = chunks(child_ids);
  for (auto ids : child_chunks) {
    Params p;
    const std::string sql =
        "SELECT l.child_id, l.parent_id, p.code, p.area_id FROM links l JOIN bags p ON p.id = l.parent_id"
        " WHERE l.child_id IN " + in_list(p, ids);
    const Rows rows = co_await tx.query(sql, std::move(p));
    for (const auto& r : rows) {
      domain::ImportBag& child = state.bags.at(code_of.at(r.i64(0)));
      child.parent_id = r.i64(1);
      child.parent_code = r.text(2);
      child.parent_area = r.opt_i64(3);
    }
  }
  const auto parent_chunks = chunks(parent_ids);
  for (auto ids : parent_chunks) {
    Params p;
    const std::string list = in_list(p, ids);
    const std::string count_sql = "SELECT parent_id, COUNT(*) FROM links WHERE parent_id IN " + list + " GROUP BY parent_id";
    const std::string bill_sql =
        "SELECT bp.parent_id, bl.code FROM bill_parents bp JOIN bills bl ON bl.id = bp.bill_id WHERE bp.parent_id IN " + list;
    const Rows counts = co_await tx.query(count_sql, p);
    for (const auto& r : counts) state.bags.at(code_of.at(r.i64(0))).child_count = r.i64(1);
    const Rows bills = co_await tx.query(bill_sql, std::move(p));
    for (const auto& r : bills) {
      state.bags.at(code_of.at(r.i64(0))).bill = r.text(1);
      bill_codes.push_back(r.text(1));
    }
  }
  // The bills the file names and those its parents are on (a completed one locks their links).
  std::sort(bill_codes.begin(), bill_codes.end());
  bill_codes.erase(std::unique(bill_codes.begin(), bill_codes.end()), bill_codes.end());
  const auto bill_chunks = chunks(bill_codes);
  for (auto codes : bill_chunks) {
    Params p;
    const std::string sql =
        "SELECT id, code, status, capacity, area_id, (SELECT COUNT(*) FROM bill_parents bp WHERE bp.bill_id = bills.id)"
        " FROM bills WHERE code IN " + in_list(p, codes) + " ORDER BY id";
    const Rows rows = co_await select(tx, sql, std::move(p), lock);
    for (const auto& r : rows) {
      domain::ImportBill b;
      b.id = r.i64(0);
      b.status = domain::parse_bill_status(r.text(2)).value_or(domain::BillStatus::open);
      b.capacity = r.i64(3);
      b.area_id = r.opt_i64(4);
      b.parent_count = r.i64(5);
      state.bills.emplace(r.text(1), std::move(b));
    }
  }
  co_return state;
}

}  // namespace tt::storage::import_state

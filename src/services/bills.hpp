// Bills (SPEC §3.4): create, edit, list, detail with figures, fill with parents, remove a parent,
// complete, reopen, delete. Figures are always derived from the links of the bill's parents.
//
// Concurrency: every change of a bill locks its row first (FOR UPDATE on PostgreSQL; SQLite's
// single writer serialises), so the capacity of a bill holds under concurrent fills; completing a
// bill also locks its parents' rows, which scans into those parents lock too, so no link changes
// slip past a completion. One bill per parent is the UNIQUE (parent_id) of bill_parents.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "services/bag_settings.hpp"
#include "services/caller.hpp"
#include "services/refusal.hpp"
#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

struct Bill {
  std::int64_t id = 0;
  std::string uid;
  std::string code;
  std::string description;
  std::optional<std::string> destination;
  std::optional<std::string> vehicle;
  std::int64_t capacity = 0;
  std::string status;  // open | completed
  std::optional<std::int64_t> area_id;
  std::optional<std::string> area;
  std::optional<std::string> created_by;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> completed_at;
  domain::BillFigures figures;
};

struct BillParent {
  std::string code;
  std::string kind;
  std::int64_t child_count = 0;
  std::int64_t added_at = 0;
  std::optional<std::string> added_by;
  double weight_kg = 0;           // its children x child weight
  double expected_weight_kg = 0;  // its kind's weight
};

struct BillDetail {
  Bill bill;
  std::vector<BillParent> parents;  // in the order they were added
};

struct NewBill {
  std::string code;  // as typed: normalised by check_new_bill
  std::string description;
  std::optional<std::string> destination;
  std::optional<std::string> vehicle;
  std::int64_t capacity = 0;
};

// Normalises the code and checks every field; throws domain::Failure 422 (invalid_code,
// invalid_capacity, invalid_field) naming the problem.
void check_new_bill(NewBill& bill);

// Throws 409 bill_exists.
asio::awaitable<Bill> create_bill(storage::Tx& tx, Caller caller, NewBill bill, SettingsPtr settings);

// Absent fields stay; an empty inner optional clears destination or vehicle.
struct BillPatch {
  std::optional<std::string> description;
  std::optional<std::optional<std::string>> destination;
  std::optional<std::optional<std::string>> vehicle;
  std::optional<std::int64_t> capacity;
};

// Throws 422 for invalid values, 404 not_found, 409 bill_completed, capacity_too_small.
asio::awaitable<Bill> update_bill(storage::Tx& tx, Caller caller, std::string raw_code, BillPatch patch,
                                  SettingsPtr settings);

// Throws 422 invalid_code, 404 not_found (also for a bill of an area a dispatcher cannot see).
asio::awaitable<BillDetail> get_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings);

struct BillFilter {
  std::optional<std::string> status;  // open | completed
  std::optional<std::string> code;    // normalised prefix
  std::int64_t page = 1;
  std::int64_t per_page = 50;
};

struct BillPage {
  std::vector<Bill> bills;  // newest first, with figures
  bool has_more = false;
};

asio::awaitable<BillPage> list_bills(storage::Tx& tx, Caller caller, BillFilter filter, SettingsPtr settings);

struct BillFill {
  std::optional<Refusal> refusal;
  std::string result;  // added | already_on_bill
  std::string parent;  // normalised
  std::optional<Bill> bill;  // with figures after the change, when not refused
};

// Adds a scanned parent; the attempt is written to the scan log whatever its outcome. Refusals:
// 422 invalid_code / not_a_parent, 404 not_found (bill or parent), 409 bill_completed,
// on_another_bill, bill_full.
asio::awaitable<BillFill> add_parent_to_bill(storage::Tx& tx, Caller caller, std::string raw_bill,
                                             std::string raw_parent, SettingsPtr settings,
                                             std::optional<std::string> client_scan_id = std::nullopt);

// Throws 422 invalid_code, 404 not_found, 404 not_on_bill, 409 bill_completed.
asio::awaitable<Bill> remove_parent_from_bill(storage::Tx& tx, Caller caller, std::string raw_bill,
                                              std::string raw_parent, SettingsPtr settings);

// Throws 404 not_found, 409 bill_completed.
asio::awaitable<Bill> complete_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings);
// Throws 404 not_found, 409 bill_not_completed.
asio::awaitable<Bill> reopen_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings);
// Deletes the bill; its parents stay, on no bill. Returns the bill as it was. Throws 404 not_found.
asio::awaitable<Bill> delete_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings);

}  // namespace tt::services

// Bills (SPEC §3.4): create, edit, list, detail with figures, fill with parents, remove a parent,
// complete, reopen, delete. Figures are always derived from the links of the bill's parents.
//
// Concurrency: every change of a bill locks its row first (storage::bills::lock_bill), so the capacity of a bill holds under concurrent fills; completing a
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
#include "services/sync_disputes.hpp"
#include "services/settings.hpp"
#include "services/caller.hpp"
#include "services/refusal.hpp"
#include "storage/database.hpp"
#include "storage/tables/bills.hpp"

namespace tt::services {

namespace asio = boost::asio;

// A bill's row with its figures, derived from its parents' links.
struct Bill : storage::BillRow {
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

// A parent bag returned from the bill on a committed return ticket (SPEC §3.8).
struct BillReturn {
  std::string ticket;
  std::string parent;
  std::int64_t child_count = 0;  // when it was returned
  double weight_kg = 0;
  std::optional<std::int64_t> at;
  std::optional<std::string> by;
};

struct BillDetail {
  Bill bill;
  std::vector<BillParent> parents;  // in the order they were added
  std::vector<BillReturn> returns;  // newest first
  std::vector<Dispute> disputes;    // open synchronisation conflicts (SPEC §8)
};

struct NewBill {
  std::string code;  // as typed: normalised by check_new_bill
  std::string description;
  std::optional<std::string> destination;
  std::optional<std::string> vehicle;
  std::int64_t capacity = 0;
};

// Normalises the code and checks every field; throws domain::Failure (invalid_code,
// invalid_capacity, invalid_field) naming the problem.
void check_new_bill(NewBill& bill);

// Throws bill_exists.
asio::awaitable<Bill> create_bill(storage::Tx& tx, Caller caller, NewBill bill, SettingsPtr settings);

// Absent fields stay; an empty inner optional clears destination or vehicle.
struct BillPatch {
  std::optional<std::string> description;
  std::optional<std::optional<std::string>> destination;
  std::optional<std::optional<std::string>> vehicle;
  std::optional<std::int64_t> capacity;
};

// Throws invalid_code, invalid_field, invalid_capacity, not_found, bill_completed, capacity_too_small.
asio::awaitable<Bill> update_bill(storage::Tx& tx, Caller caller, std::string raw_code, BillPatch patch,
                                  SettingsPtr settings);

// Throws invalid_code, not_found (also for a bill of an area a dispatcher cannot see).
asio::awaitable<BillDetail> get_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings);

struct BillFilter {
  std::optional<std::string> status;  // open | completed
  std::optional<std::string> code;    // a prefix as typed (normalised here)
  std::int64_t page = 1;
  std::int64_t per_page = 50;
};

struct BillPage {
  std::vector<Bill> bills;  // newest first, with figures
  bool has_more = false;
};

asio::awaitable<BillPage> list_bills(storage::Tx& tx, Caller caller, BillFilter filter, SettingsPtr settings);

struct BillFill : ScanOutcome {
  domain::BillAddResult result = domain::BillAddResult::rejected;
  std::string parent;  // normalised
  std::optional<Bill> bill;  // with figures after the change, when not refused
};

// Adds a scanned parent; the attempt is written to the scan log whatever its outcome. Refusals:
// invalid_code, not_a_parent, not_found (bill or parent), bill_completed, on_another_bill,
// bill_full.
asio::awaitable<BillFill> add_parent_to_bill(storage::Tx& tx, Caller caller, std::string raw_bill,
                                             std::string raw_parent, SettingsPtr settings,
                                             std::optional<std::string> client_scan_id = std::nullopt);

// The step "take a parent off its bill", for every workflow that does it (removing a parent from
// an open bill, committing a return ticket): the bill's row must be locked (storage::bills::
// lock_bill) and the workflow's own rule checked. Updates bill.updated_at; false when the parent
// (a normalised code) is not on that bill. The caller writes its own audit entry.
asio::awaitable<bool> take_parent_off_bill(storage::Tx& tx, storage::BillRow& bill, const std::string& parent_code);

// Throws invalid_code, not_found, not_on_bill, bill_completed.
asio::awaitable<Bill> remove_parent_from_bill(storage::Tx& tx, Caller caller, std::string raw_bill,
                                              std::string raw_parent, SettingsPtr settings);

// Throws invalid_code, not_found, bill_completed.
asio::awaitable<Bill> complete_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings);
// Throws invalid_code, not_found, bill_not_completed.
asio::awaitable<Bill> reopen_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings);
// Deletes the bill; its parents stay, on no bill. Returns the bill as it was. Throws invalid_code, not_found.
asio::awaitable<Bill> delete_bill(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings);

}  // namespace tt::services

// Deciding an import (SPEC §3.7, §5 "one code path per rule"): each row of the file is checked
// with the rules of a scan — a parent code as scanning a parent checks it (created when new and
// of a parent kind), a child into that parent by decide_child_scan, the parent onto a bill by
// decide_bill_add — against the state of the bags the file names, as loaded by the service, and
// as the rows before it leave it. A row is taken whole or refused whole (its first refusal is
// reported). No I/O: the service loads the state, calls plan_import and writes the plan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "domain/identity.hpp"
#include "domain/import_file.hpp"
#include "domain/settings.hpp"

namespace tt::domain {

// A bag the file names, as it is before the import (id > 0) or as the plan creates it (id < 0).
struct ImportBag {
  std::int64_t id = 0;
  bool is_parent = false;
  std::string kind;                        // a parent's kind
  std::optional<std::int64_t> area_id;
  std::optional<std::int64_t> parent_id;   // a child: the parent it is in
  std::string parent_code;
  std::optional<std::int64_t> parent_area;
  std::int64_t child_count = 0;            // a parent: its children
  std::optional<std::string> bill;         // a parent: the bill it is on
};

// A bill the file names, as it is (id > 0) or as the plan creates it (id < 0).
struct ImportBill {
  std::int64_t id = 0;
  BillStatus status = BillStatus::open;
  std::int64_t capacity = 1;
  std::int64_t parent_count = 0;
  std::optional<std::int64_t> area_id;
  std::string description;
  std::optional<std::string> destination;
  std::optional<std::string> vehicle;
};

// What the database holds about the file's codes (normalised), filled in by the service.
struct ImportState {
  std::unordered_map<std::string, ImportBag> bags;
  std::unordered_map<std::string, ImportBill> bills;
};

struct ImportRejection {
  std::int64_t line = 0;
  std::string parent, child, bill;  // the row's cells as written
  Error code = Error::invalid_request;
  std::string message;              // for a person
};

// One row that changes something, in file order: what the log of each bag records.
struct ImportApplied {
  std::string code;                  // the child, else the parent
  std::optional<std::string> parent; // when a child went into a parent
  std::optional<std::string> bill;   // when the parent went onto a bill
  bool linked = false;               // a link or a bill place was made (else only bags created)
  std::optional<std::int64_t> area_id;
};

struct NewImportBag {
  std::string code;
  bool is_parent = false;
  std::string kind;
};

struct NewImportBill {
  std::string code;
};

struct ImportPlan {
  std::int64_t rows = 0;
  std::int64_t unchanged = 0;  // accepted, nothing to change (already linked, already on the bill)
  std::vector<ImportRejection> rejections;
  std::vector<NewImportBag> new_bags;     // in file order
  std::vector<NewImportBill> new_bills;   // fields in ImportState::bills
  std::vector<std::pair<std::string, std::string>> links;      // (parent, child)
  std::vector<std::pair<std::string, std::string>> bill_adds;  // (bill, parent)
  std::vector<ImportApplied> applied;
  std::int64_t changed() const noexcept { return static_cast<std::int64_t>(applied.size()); }
};

// Decides every row in order, updating `state` with each accepted row. New bags go into
// `new_bag_area`; a new bill into its first parent's area.
ImportPlan plan_import(const ImportFile& file, ImportState& state, const Identity& who,
                       std::optional<std::int64_t> new_bag_area, const Settings& settings);

}  // namespace tt::domain

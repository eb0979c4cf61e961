// What an import writes (SPEC §3.7): new bags and bills, links, bill places and a scan log row per
// changed file row, many rows per statement (storage/bulk_insert.hpp). One batch per table with
// its statement and the order of its columns; the service adds rows, flushes full batches and
// decides what a short batch means. Every statement ends in ON CONFLICT DO NOTHING where another
// transaction may have written the row first, and returns one row per row written: (id, code) for
// bags and bills (the ids the later batches need), (id, uid) for the rest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/import_plan.hpp"
#include "storage/bulk_insert.hpp"

namespace tt::storage::import_rows {

BulkInsert bags();
// A new bag; `kind` for a parent only. `at` in microseconds since the epoch, `user` its creator.
void add_bag(BulkInsert& batch, const std::string& uid, const std::string& code, bool is_parent, std::optional<std::string> kind,
             std::optional<std::int64_t> area_id, std::optional<std::int64_t> user, std::int64_t at);

BulkInsert bills();
// A new bill, open, with the description, destination, vehicle, capacity and area of `bill`.
void add_bill(BulkInsert& batch, const std::string& uid, const std::string& code, const domain::ImportBill& bill,
              std::optional<std::int64_t> user, std::int64_t at);

BulkInsert links();
void add_link(BulkInsert& batch, const std::string& uid, std::int64_t parent_id, std::int64_t child_id, std::optional<std::int64_t> user,
              std::int64_t at);

BulkInsert bill_places();
void add_bill_place(BulkInsert& batch, const std::string& uid, std::int64_t bill_id, std::int64_t parent_id, std::optional<std::int64_t> user,
                    std::int64_t at);

BulkInsert scan_log();
// The scan log row of an applied file row: action "import", result "linked" or "created".
void add_scan(BulkInsert& batch, const std::string& uid, std::int64_t at, std::optional<std::int64_t> user, const domain::ImportApplied& row,
              const std::optional<std::string>& client);

}  // namespace tt::storage::import_rows

// What the CSV exports read (SPEC §3.7): bags, bills, scans, the audit log and the links file,
// a page at a time in id order (a page is kPageRows rows, or kLinkPageBags bags of the links file
// with their children), and each row as a CSV line. A read model over every table an export names;
// reading the whole file in one transaction, and sending it in pieces, is the service's
// (services/exports.hpp).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "domain/date_filter.hpp"
#include "storage/database.hpp"

namespace tt::storage {

// links: every parent with its children, one line each (a parent with none on a line of its own),
// and every child in no parent, with the parent's bill: the file the importer reads
// (domain/import_file.hpp), so an export imports into another database as it was.
enum class ExportKind { bags, bills, scans, audit, links };

struct ExportRowsFilter {
  domain::TimeRange range;                   // created (bags, bills) or happened (scans, audit)
  std::optional<std::int64_t> visible_area;  // a caller who sees one area only: that one (-1: none)
  std::optional<std::string> area;           // area name, any case (bags, bills, scans, links: the parent's)
  std::optional<std::string> type;           // bags: parent | child
  std::optional<std::string> status;         // bills: open | completed
  std::optional<std::string> bill;           // bags: the parents on this bill and their children (normalised)
  std::optional<std::string> site;           // public id of the site the rows came from (SPEC §8; links: the parent's)
};

// One page of rows, and how many distinct ids (bags, bills, ...) it holds: fewer than a full
// page's means it is the last.
struct ExportPage {
  Rows rows;
  std::int64_t ids = 0;
  std::int64_t last_id = 0;  // where the next page starts (after it)
  bool last = true;
};

namespace export_rows {

// The page of `kind` after the row id `after` (0: the first).
asio::awaitable<ExportPage> read_page(Tx& tx, ExportKind kind, const ExportRowsFilter& filter, std::int64_t after);
// Appends the row of a page as a CSV line, in the columns of the export's header line; `protect`:
// formulas guarded (util/csv.hpp). The weight of a bill is its children x `child_weight_kg`.
void write_line(std::string& out, ExportKind kind, const Row& row, bool protect, double child_weight_kg);

}  // namespace export_rows
}  // namespace tt::storage

// Importing parent,child pairs (SPEC §3.7): a CSV file (domain/import_file.hpp for its columns and
// limits) checked row by row with the rules of a scan (domain/import_plan.hpp), then, as the
// person chose, nothing applied (a check), every row or none (all or nothing), or the rows that
// pass (valid rows) — in one transaction, with many rows per statement, so 100,000 rows take
// seconds. Applied imports write one audit entry (action "import", its counts) and, for each row
// that changed something, one scan log row (action "import") that shows in the bags' history.
//
// Concurrency: the bags and bills the file names are read locked (storage/tables/import_state),
// and every insert is ON CONFLICT DO NOTHING with its rows counted: if a scanner created or linked
// one of the file's bags in between, the import fails with `conflict` and changes nothing.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/import_plan.hpp"
#include "services/caller.hpp"
#include "services/settings.hpp"
#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

enum class ImportMode { check, all_or_nothing, valid_rows };
// "check", "all", "valid": the mode parameter of POST /import/links.
std::string_view to_string(ImportMode m) noexcept;
std::optional<ImportMode> parse_import_mode(std::string_view s) noexcept;

struct ImportRequest {
  std::shared_ptr<const std::string> file;  // the CSV text
  std::string file_name;                    // for the audit entry (may be empty)
  ImportMode mode = ImportMode::check;
  std::optional<std::string> area;          // the dispatch area of new bags (default: the caller's)
};

// Rejected rows reported in full up to this many; the count is always exact.
inline constexpr std::size_t kReportedRejections = 1000;

struct ImportReport {
  ImportMode mode = ImportMode::check;
  bool applied = false;
  std::int64_t rows = 0;
  std::int64_t changed = 0;    // accepted rows that change something
  std::int64_t unchanged = 0;  // accepted rows already true (a child already in that parent, ...)
  std::int64_t rejected = 0;
  std::vector<domain::ImportRejection> rejections;  // the first kReportedRejections, in file order
  std::int64_t parents_created = 0, children_created = 0, bills_created = 0, links = 0, bill_adds = 0;
  std::string import_id;       // the audit entry's key when applied
};

// Checks, and applies unless the mode is check or the mode is all_or_nothing and a row was
// refused (then `applied` is false and nothing is written). Throws domain::Failure: invalid_file
// and payload_too_large (the file), unknown_area, conflict (bags changed during the import).
asio::awaitable<ImportReport> import_links(storage::Tx& tx, Caller caller, ImportRequest request,
                                           SettingsPtr settings);

}  // namespace tt::services

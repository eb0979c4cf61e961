// CSV exports (SPEC §3.7): bags, bills, scans and the audit log as files that stream without
// limit. The whole file is read inside one read transaction (one snapshot, so it is consistent
// however long it takes), a page of rows at a time in id order, and handed to a sink in pieces of
// about 64 KB: memory stays flat whatever the size. A sink whose reader has gone stops the export,
// which ends the transaction.
//
// Who sees what is the rule of reading the same rows: a dispatcher exports their own area only
// (domain::Identity); the audit log is for admins (the route says so).
#pragma once

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/date_filter.hpp"
#include "services/caller.hpp"
#include "services/settings.hpp"
#include "storage/database.hpp"
#include "storage/tables/export_rows.hpp"
#include "util/time_zone.hpp"

namespace tt::services {

namespace asio = boost::asio;

// bags, bills, scans, audit, links (storage/tables/export_rows.hpp says what each holds).
using ExportKind = storage::ExportKind;
// "bags", "bills", "scans", "audit", "links".
std::string_view to_string(ExportKind k) noexcept;
std::optional<ExportKind> parse_export_kind(std::string_view s) noexcept;

struct ExportFilter {
  domain::TimeRange range;           // created (bags, bills) or happened (scans, audit)
  std::optional<std::string> area;   // area name, any case (bags, bills, scans, links: the parent's)
  std::optional<std::string> type;   // bags: parent | child
  std::optional<std::string> status; // bills: open | completed
  std::optional<std::string> bill;   // bags: the parents on this bill and their children (normalised)
  std::optional<std::string> site;   // the public id of the site the rows came from (SPEC §8)
  bool raw = false;                  // no formula protection: for a machine round trip
};

// Reads one filter: the query parameters of GET /export/KIND.csv and the options of `tracetrack
// export` (from, to, area, type, status, bill, site, raw). False for a key that is no filter of `kind`;
// throws domain::Failure invalid_request (or invalid_code for a bill code) naming the problem.
bool read_export_filter(ExportFilter& filter, ExportKind kind, std::string_view key, std::string_view value,
                        const util::TimeZone& zone);

// Where an export's pieces go: an HTTP response, a file, standard output.
class ExportSink {
 public:
  virtual ~ExportSink() = default;
  // Takes the next piece of the file; false when its reader has gone (the export stops there).
  asio::awaitable<bool> put(std::string chunk);
  bool started() const noexcept { return started_; }

 protected:
  virtual asio::awaitable<bool> deliver(std::string chunk) = 0;

 private:
  bool started_ = false;
};

// The header line of an export, as the file starts.
std::string_view export_header(ExportKind kind);

// Writes the whole file (header line first) to `sink`. Refuses to run a second time on a sink
// that has received output (a backend may run a job again after losing its connection: the
// file would repeat rows), with storage::DbError.
asio::awaitable<void> export_csv(storage::Tx& tx, Caller caller, ExportKind kind, ExportFilter filter,
                                 std::shared_ptr<ExportSink> sink, SettingsPtr settings);

}  // namespace tt::services

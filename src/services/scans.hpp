// Scanning (SPEC §3.1, §3.2): a parent, then children into it. Every attempt, whatever its outcome,
// writes its scan_events row in the transaction of the scan; every change writes its audit entry
// there too. Refusals are returned, not thrown, so that the log entry commits with them.
//
// Concurrency (SPEC §3.2): every path that adds a link first locks the parent row (FOR UPDATE on
// PostgreSQL; SQLite's single writer serialises write transactions), then counts its links, so
// two scanners can never exceed a parent's capacity. One parent per child is the UNIQUE (child_id)
// of links: a child inserted or linked concurrently by another transaction is detected with
// ON CONFLICT DO NOTHING and the state read again, never by catching an error.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "domain/scan_rules.hpp"
#include "services/settings.hpp"
#include "services/bags.hpp"
#include "services/caller.hpp"
#include "services/refusal.hpp"
#include "storage/database.hpp"

namespace tt::services {

namespace asio = boost::asio;

struct ParentScan : ScanOutcome {
  bool created = false;
  std::string code;                    // normalised (empty when the code was invalid)
  std::optional<std::int64_t> area_id;  // the parent's area, for live events
  std::optional<BagDetail> parent;     // when not refused
};

// Creates the parent if new (in the caller's area) and returns its detail. Refusals:
// invalid_code, not_a_parent (a child code or a child bag), not_found (a parent in an
// area the caller cannot see).
// client_scan_id: the client's id of this physical scan, recorded with it in the scan log.
asio::awaitable<ParentScan> scan_parent(storage::Tx& tx, Caller caller, std::string raw_code, SettingsPtr settings,
                                        std::optional<std::string> client_scan_id = std::nullopt);

struct ChildScan : ScanOutcome {
  domain::ScanResult result = domain::ScanResult::rejected;  // rejected: `refusal` says why
  domain::Rejection reason = domain::Rejection::none;
  std::string parent_code;              // normalised, when valid
  std::string child_code;               // normalised, when valid
  std::int64_t child_count = 0;         // children in the parent after the scan
  std::int64_t capacity = 0;
  bool child_created = false;
  std::optional<std::int64_t> area_id;  // the parent's area, for live events
};

asio::awaitable<ChildScan> scan_child(storage::Tx& tx, Caller caller, std::string raw_parent, std::string raw_child,
                                      SettingsPtr settings, std::optional<std::string> client_scan_id = std::nullopt);

}  // namespace tt::services

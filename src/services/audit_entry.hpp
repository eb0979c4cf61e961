// Factories for log entries, so that call sites can build them inside a co_await expression (the
// coroutine rule: storage/job.hpp).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "services/audit.hpp"
#include "services/scan_log.hpp"

namespace tt::services {

inline AuditEntry make_audit_entry(AuditAction action, std::string entity, std::optional<std::string> key,
                                   std::optional<nlohmann::json> before, std::optional<nlohmann::json> after) {
  return AuditEntry{action, std::move(entity), std::move(key), std::move(before), std::move(after)};
}

inline ScanRecord make_scan_record(std::int64_t at, std::string action, std::string code,
                                   std::optional<std::string> parent_code, std::optional<std::string> bill_code,
                                   std::string result, std::optional<std::string> reason,
                                   std::optional<std::int64_t> area_id) {
  return ScanRecord{at,
                    std::move(action),
                    std::move(code),
                    std::move(parent_code),
                    std::move(bill_code),
                    std::move(result),
                    std::move(reason),
                    area_id};
}

}  // namespace tt::services

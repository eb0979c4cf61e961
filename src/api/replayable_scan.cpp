#include "api/replayable_scan.hpp"

#include "api/error_status.hpp"
#include "domain/client_scan_id.hpp"
#include "domain/errors.hpp"
#include "util/metrics.hpp"

namespace tt::api {

std::optional<std::string> client_scan_id_of(const std::optional<std::string>& raw) {
  if (!raw || raw->empty()) return std::nullopt;
  auto id = domain::normalise_client_scan_id(*raw);
  if (!id) {
    throw domain::Failure(domain::Error::invalid_request, "The field 'client_scan_id' must be a UUID such as 0192f8a4-6c1e-7b3d-9a5f-2e4c6b8d0a1f.");
  }
  return id;
}

services::ScanAnswer refusal_answer(const services::Refusal& refusal) {
  const int status = http_status(refusal.code);
  return services::ScanAnswer{status, http::error_response(status, domain::to_string(refusal.code), refusal.message).body};
}

http::Response answer_response(const services::ScanAnswer& answer) {
  http::Response r;
  r.status = answer.status;
  r.body = answer.body;
  return r;
}

void count_scan(const char* action, const services::ScanOutcome& outcome, bool replay) {
  if (replay) return util::metrics().count_scan(action, "replayed");
  if (!outcome.refusal) return util::metrics().count_scan(action, "accepted");
  util::metrics().count_scan(action, domain::to_string(outcome.refusal->code));
}

}  // namespace tt::api

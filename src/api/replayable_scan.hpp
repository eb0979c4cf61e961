// The scan routes' replay protection (SPEC §4 client_scan_id): POST /scans/parent, /scans/child and
// /bills/{code}/parents answer a request whose client_scan_id the caller already used with the
// first answer, byte for byte, and change and log nothing. The answer of a first request is built
// inside its transaction and stored there (services::run_replayable_scan); these are the HTTP ends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "http/message.hpp"
#include "services/caller.hpp"
#include "services/client_scans.hpp"
#include "services/refusal.hpp"

namespace tt::api {

// The id given in a request body, normalised; nothing when absent or empty. Throws ApiError 400
// invalid_request when it is not a UUID.
std::optional<std::string> client_scan_id_of(const std::optional<std::string>& raw);

// The stored form of an answer to a refused scan: the error body of SPEC §4.
services::ScanAnswer refusal_answer(const services::Refusal& refusal);

// The answer as a response.
http::Response answer_response(const services::ScanAnswer& answer);

// The transaction of a replayable scan: service(tx, caller, args..., client_scan_id) (a scan
// service returning awaitable<Outcome>), answered by answer(outcome), replayed for the id. A plain
// function, so that the job reaches co_await as a ready object (GCC 12 destroys a lambda written
// inside a co_await expression twice).
template <class Outcome, class Service, class Answer, class... Args>
auto replayable_job(Service service, Answer answer, services::Caller caller, std::optional<std::string> id,
                    Args... args) {
  const std::int64_t user = caller.user_id;
  auto scan = [service, caller = std::move(caller), id, ... args = std::move(args)](storage::Tx& tx) {
    return service(tx, caller, args..., id);
  };
  return [user, id = std::move(id), scan = std::move(scan), answer](storage::Tx& tx) {
    return services::run_replayable_scan<Outcome>(tx, user, id, scan, answer);
  };
}

}  // namespace tt::api

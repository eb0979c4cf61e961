// The scan routes' replay protection (SPEC §4 client_scan_id): POST /scans/parent, /scans/child and
// /bills/{code}/parents answer a request whose client_scan_id the caller already used with the
// first answer, byte for byte, and change and log nothing. The answer of a first request is built
// inside its transaction and stored there (services::run_replayable_scan); these are the HTTP ends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "api/deps.hpp"
#include "http/message.hpp"
#include "services/caller.hpp"
#include "services/client_scans.hpp"
#include "services/refusal.hpp"

namespace tt::services {
struct ParentScan;
struct ChildScan;
struct BillFill;
struct ReturnAdd;
}  // namespace tt::services

namespace tt::api {

// The scan's name in the metrics (tracetrack_scans_total{action}).
constexpr const char* scan_action(const services::ParentScan*) { return "parent"; }
constexpr const char* scan_action(const services::ChildScan*) { return "child"; }
constexpr const char* scan_action(const services::BillFill*) { return "bill_parent"; }
constexpr const char* scan_action(const services::ReturnAdd*) { return "return"; }

// Counts an answered scan in the metrics: replayed, accepted, or the code of its refusal.
void count_scan(const char* action, const services::ScanOutcome& outcome, bool replay);

// The id given in a request body, normalised; nothing when absent or empty. Throws domain::Failure
// invalid_request when it is not a UUID.
std::optional<std::string> client_scan_id_of(const std::optional<std::string>& raw);

// The stored form of an answer to a refused scan: the error body of SPEC §4.
services::ScanAnswer refusal_answer(const services::Refusal& refusal);

// The answer as a response.
http::Response answer_response(const services::ScanAnswer& answer);

// The transaction of a replayable scan (storage::job): service(tx, caller, args..., client_scan_id)
// (a scan service returning awaitable<Outcome>), answered by answer(outcome), replayed for the id.
template <class Outcome, class Service, class Answer, class... Args>
auto replayable_job(Service service, Answer answer, services::Caller caller, std::optional<std::string> id,
                    Args... args) {
  const std::int64_t user = caller.user_id;
  auto scan = storage::job(service, std::move(caller), std::move(args)..., id);
  return storage::job(services::run_replayable_scan<Outcome, decltype(scan), Answer>, user, std::move(id), std::move(scan),
                      answer);
}

// A replayable scan for the caller of `ctx` in a write transaction: service(tx, caller, args...,
// settings, client_scan_id), the bag settings gathered here (every scan service takes them), and
// scheduled as `order` says (storage::WriteOptions, with the affinity of the code it locks first:
// services::code_or_raw).
template <class Outcome, class Service, class Answer, class... Args>
asio::awaitable<services::ScanCall<Outcome>> call_scan(const http::RequestContext& ctx, Deps& d, Service service,
                                                       Answer answer, std::optional<std::string> client_scan_id,
                                                       storage::WriteOptions order, Args... args) {
  services::SettingsPtr settings = co_await current_settings(d);
  auto job = replayable_job<Outcome>(service, answer, caller_of(ctx), std::move(client_scan_id), std::move(args)...,
                                     std::move(settings));
  auto call = co_await d.db.write(std::move(job), std::move(order));
  count_scan(scan_action(static_cast<const Outcome*>(nullptr)), call.outcome, call.replay);
  co_return call;
}

}  // namespace tt::api

// One rule for input (SPEC §1, §3.7, §3.9): every code a service is given, whether it came from a
// path, a query or a body, passes through these before any rule or read sees it. The api layer
// only parses types and hands the raw text on.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tt::services {

// A bag code trimmed and upper-cased (domain::normalise_code). `what` names it in the message
// ("parent code", "search code"). Throws domain::Failure invalid_code with a message for a person.
std::string bag_code_or_throw(std::string_view raw, std::string_view what = "bag code");

// A bill code (domain::normalise_bill_code). Throws domain::Failure invalid_code.
std::string bill_code_or_throw(std::string_view raw);

// A prefix of a bill code typed in a search box: the bag code rules with the bill code length.
// Throws domain::Failure invalid_code.
std::string bill_prefix_or_throw(std::string_view raw);

// A return ticket code (domain::normalise_return_code). Throws domain::Failure invalid_code.
std::string ticket_code_or_throw(std::string_view raw);

// The code as the services will read it when it is valid, or the raw text when it is not (the
// write affinity of a scan, storage::WriteOptions: the row the scan locks first).
std::string code_or_raw(const std::string& raw);

}  // namespace tt::services

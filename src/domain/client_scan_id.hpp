// Client scan ids (SPEC §4): the id a scanning client gives each physical scan, so that a scan
// resent after a lost answer is recognised as the same scan. A UUID in its text form
// (8-4-4-4-12 hexadecimal digits); compared lower-cased.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tt::domain {

// The id lower-cased, or nothing when `raw` is not a UUID in text form.
std::optional<std::string> normalise_client_scan_id(std::string_view raw);

}  // namespace tt::domain

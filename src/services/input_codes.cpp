#include "services/input_codes.hpp"

#include "domain/bag_code.hpp"
#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "domain/return_rules.hpp"

namespace tt::services {

namespace {

std::string or_throw(domain::NormalisedCode n) {
  if (!n.ok()) throw domain::Failure(domain::Error::invalid_code, n.error);
  return std::move(n.code);
}

}  // namespace

std::string bag_code_or_throw(std::string_view raw, std::string_view what) {
  return or_throw(domain::normalise_code(raw, what));
}

std::string bill_code_or_throw(std::string_view raw) { return or_throw(domain::normalise_bill_code(raw)); }

std::string bill_prefix_or_throw(std::string_view raw) {
  return or_throw(domain::normalise_code(raw, "bill code", domain::kBillCodeMax));
}

std::string ticket_code_or_throw(std::string_view raw) { return or_throw(domain::normalise_return_code(raw)); }

std::string code_or_raw(const std::string& raw) {
  domain::NormalisedCode n = domain::normalise_code(raw, "code");
  if (n.ok()) return std::move(n.code);
  return raw;
}

}  // namespace tt::services

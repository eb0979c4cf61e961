#include "http/client_address.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace tt::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_trusted(std::string_view address, const std::vector<std::string>& trusted) {
  return std::find(trusted.begin(), trusted.end(), address) != trusted.end();
}

}  // namespace

std::optional<std::string> canonical_ip(std::string_view s) {
  if (s.empty() || s.size() > 45) return std::nullopt;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(s), ec);
  if (ec) return std::nullopt;
  return address.to_string();
}

std::string client_address(const std::string& peer, std::optional<std::string_view> forwarded_for,
                           const std::vector<std::string>& trusted) {
  if (!forwarded_for || !is_trusted(peer, trusted)) return peer;
  std::string_view rest = *forwarded_for;
  while (!rest.empty()) {
    const auto comma = rest.rfind(',');
    const std::string_view entry = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    // Only an address ends up in the audit log; a malformed chain is not trusted at all.
    const auto address = canonical_ip(entry);
    if (!address) return peer;
    if (!is_trusted(*address, trusted)) return *address;
  }
  return peer;
}

}  // namespace tt::http

// The address of the client behind a reverse proxy (Caddy for HTTPS on a depot box, a load
// balancer at head office): when the TCP peer is a trusted proxy, the client is the right-most
// X-Forwarded-For entry that is not itself a trusted proxy (the entries left of it could be
// written by anyone). Without a trusted peer the header is ignored: any client could send one.
// The address feeds the audit log and the per-address sign-in lockout (SPEC §3.9).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tt::http {

// The address written as the server writes a peer's ("::1", "192.168.1.7"), or nothing when the
// text is not an IPv4 or IPv6 address (no ports, names or junk).
std::optional<std::string> canonical_ip(std::string_view text);

// `peer`: the TCP peer's address; `forwarded_for`: the X-Forwarded-For header, if any (several
// headers joined with commas); `trusted`: the proxies' addresses, exactly as the peer shows them.
std::string client_address(const std::string& peer, std::optional<std::string_view> forwarded_for,
                           const std::vector<std::string>& trusted);

}  // namespace tt::http

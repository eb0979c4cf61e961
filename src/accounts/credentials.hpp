// Formats of the secrets a client presents: session tokens (cookie) and API tokens (bearer).
// Both come from the operating system's CSPRNG; the database keeps only their SHA-256 hashes, so a
// copy of the database does not let anyone in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tt::accounts {

inline constexpr std::string_view kSessionCookie = "tt_session";
// API tokens carry a prefix so that secret scanners and people recognise one in a script or a log.
inline constexpr std::string_view kApiTokenPrefix = "tt_";
// A site's sync token (SPEC §8), valid only on /api/v1/sync/*: another prefix, so that neither kind
// of token is ever taken for the other.
inline constexpr std::string_view kSiteTokenPrefix = "tts_";

// 32 random bytes as 64 lower-case hex characters.
std::string new_session_token();
std::string new_csrf_token();
// "tt_" followed by 64 lower-case hex characters (32 random bytes).
std::string new_api_token();
// "tts_" followed by 64 lower-case hex characters (32 random bytes).
std::string new_site_token();

// A password for a person to type once and change: 4 groups of 5 characters from an alphabet
// without look-alikes (no 0/O, 1/l/I), joined by '-': about 116 bits of entropy.
std::string generate_password();

// Shape checks made before any database lookup, so that garbage costs nothing.
bool is_session_token(std::string_view s) noexcept;
bool is_api_token(std::string_view s) noexcept;
bool is_site_token(std::string_view s) noexcept;

// The token of an "Authorization: Bearer <token>" header value (scheme case-insensitive); nothing
// for any other scheme or a malformed value.
std::optional<std::string_view> bearer_token(std::string_view authorization) noexcept;

// What is stored and looked up: the SHA-256 of the token, hex.
std::string token_hash(std::string_view token);

// Set-Cookie value that starts a session: HttpOnly (no script can read it), SameSite=Strict (no
// other site can make the browser send it), Path=/, Max-Age (the absolute session lifetime), and
// Secure when the server is reached over TLS.
std::string session_cookie(std::string_view token, long long max_age_seconds, bool secure);
// Set-Cookie value that makes the browser forget the session cookie.
std::string expired_session_cookie(bool secure);

}  // namespace tt::accounts

// Rules for user names, passwords, e-mail addresses and area names (SPEC §3.9): plain functions,
// no I/O, so the HTTP routes, the command line and both storage backends apply the very same rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tt::domain {

inline constexpr std::size_t kUsernameMin = 3;
inline constexpr std::size_t kUsernameMax = 32;
inline constexpr std::size_t kPasswordMin = 10;
// Argon2 accepts any length; the cap keeps a single login from making the server hash megabytes.
inline constexpr std::size_t kPasswordMax = 256;
inline constexpr std::size_t kEmailMax = 254;
inline constexpr std::size_t kAreaNameMax = 64;
inline constexpr std::size_t kTokenNameMax = 64;
inline constexpr std::size_t kSiteNameMax = 64;

// User names are compared case-insensitively and stored lower-cased: "Asha" and "asha" are one user.
std::string normalise_username(std::string_view s);

// Each returns a message for a person when the value is unacceptable, nothing when it is fine.
// validate_username expects the normalised form: 3-32 characters of [a-z0-9._-].
std::optional<std::string> validate_username(std::string_view normalised);
std::optional<std::string> validate_password(std::string_view password);
std::optional<std::string> validate_email(std::string_view email);
// Area names: 1-64 printable characters once trimmed; no control characters.
std::optional<std::string> validate_area_name(std::string_view trimmed);
std::optional<std::string> validate_token_name(std::string_view trimmed);
// A site's name (SPEC §8: a depot registered at head office), as area names are checked.
std::optional<std::string> validate_site_name(std::string_view trimmed);

// Leading and trailing ASCII whitespace removed.
std::string trim(std::string_view s);

}  // namespace tt::domain

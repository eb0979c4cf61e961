// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), the second factor of a sign-in
// (SPEC §3.9). The parameters are those every authenticator app uses by default: HMAC-SHA-1, 6
// digits, 30-second steps, a 20-byte secret written in base32 (RFC 4648, no padding).
//
// Also the single-use recovery codes a user keeps on paper for a lost phone: 10 codes of two groups
// of 5 characters from an alphabet without look-alikes (about 58 bits each), stored as SHA-256
// hashes (they are random, not chosen by a person, so a slow hash adds nothing).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tt::accounts {

inline constexpr int kTotpDigits = 6;
inline constexpr std::int64_t kTotpStepSeconds = 30;
// Codes of the step before and after the current one are accepted too: phones' clocks drift.
inline constexpr std::int64_t kTotpWindowSteps = 1;
inline constexpr std::size_t kTotpSecretBytes = 20;
inline constexpr int kRecoveryCodeCount = 10;

// RFC 4648 base32 without padding (upper case); decoding accepts lower case, spaces and '='
// padding, nothing on any other character.
std::string base32_encode(std::span<const unsigned char> bytes);
std::optional<std::vector<unsigned char>> base32_decode(std::string_view text);

// A new random secret (kTotpSecretBytes from the system's CSPRNG), base32.
std::string new_totp_secret();

// RFC 4226: the `digits`-digit code of `key` at `counter`, zero-padded.
std::string hotp(std::span<const unsigned char> key, std::uint64_t counter, int digits = kTotpDigits);

// The time step of a Unix time in seconds.
std::int64_t totp_step(std::int64_t unix_seconds) noexcept;

// The step whose code `code` is (spaces ignored) within ±kTotpWindowSteps of `unix_seconds`, and
// later than `after_step` (the last step accepted for this user: a code is never accepted twice).
// Nothing for a wrong, malformed or replayed code, or a secret that is not base32.
std::optional<std::int64_t> totp_matching_step(std::string_view secret_base32, std::string_view code,
                                               std::int64_t unix_seconds, std::int64_t after_step);

// The otpauth:// address an authenticator app reads from the QR code ("Key Uri Format"):
// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret_base32);

// kRecoveryCodeCount new codes, "xxxxx-xxxxx".
std::vector<std::string> new_recovery_codes();
// What is stored and looked up: the SHA-256 (hex) of the code with case, spaces and dashes removed,
// so "ABCDE FGHJK" finds "abcde-fghjk". Nothing when the typed text cannot be a recovery code.
std::optional<std::string> recovery_code_hash(std::string_view typed);

}  // namespace tt::accounts

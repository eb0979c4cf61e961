#include "accounts/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>
#include <stdexcept>

#include "util/ids.hpp"

namespace tt::accounts {

namespace {

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
// Recovery codes: lower case without 0/o, 1/l/i, so that a code copied by hand reads back.
constexpr std::string_view kRecoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz";
constexpr std::size_t kRecoveryGroup = 5;

void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
}

int base32_value(char c) noexcept {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  const auto at = kBase32.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// Percent-encoding of a URI component: unreserved characters stay, everything else is %XX.
std::string uri_component(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string base32_encode(std::span<const unsigned char> bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += kBase32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::vector<unsigned char>> base32_decode(std::string_view text) {
  std::vector<unsigned char> out;
  std::uint32_t buffer = 0;
  int bits = 0;
  bool padding = false;
  for (char c : text) {
    if (c == ' ') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const int v = base32_value(c);
    if (v < 0 || padding) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<unsigned char>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

std::string new_totp_secret() {
  init_sodium();
  std::array<unsigned char, kTotpSecretBytes> key{};
  randombytes_buf(key.data(), key.size());
  std::string out = base32_encode(key);
  sodium_memzero(key.data(), key.size());
  return out;
}

std::string hotp(std::span<const unsigned char> key, std::uint64_t counter, int digits) {
  // libsodium has no SHA-1 (authenticator apps default to it); OpenSSL's one-shot HMAC does.
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xFF);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(), mac.data(),
            &mac_size) ||
      mac_size != 20) {
    throw std::runtime_error("HMAC-SHA-1 failed");
  }
  // RFC 4226 §5.3, dynamic truncation.
  const unsigned offset = mac[19] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  if (code.size() < static_cast<std::size_t>(digits)) code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
  return code;
}

std::int64_t totp_step(std::int64_t unix_seconds) noexcept {
  return unix_seconds >= 0 ? unix_seconds / kTotpStepSeconds : -1;
}

std::optional<std::int64_t> totp_matching_step(std::string_view secret_base32, std::string_view code,
                                               std::int64_t unix_seconds, std::int64_t after_step) {
  std::string digits;
  for (char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9' || digits.size() == kTotpDigits) return std::nullopt;
    digits += c;
  }
  if (digits.size() != kTotpDigits) return std::nullopt;
  auto key = base32_decode(secret_base32);
  if (!key || key->empty()) return std::nullopt;
  const std::int64_t now = totp_step(unix_seconds);
  std::optional<std::int64_t> found;
  // Every candidate is computed and compared in constant time, so the answer's timing does not
  // say which step matched.
  for (std::int64_t step = now - kTotpWindowSteps; step <= now + kTotpWindowSteps; ++step) {
    if (step < 0) continue;
    const bool same = util::constant_time_equal(hotp(*key, static_cast<std::uint64_t>(step)), digits);
    if (same && step > after_step && !found) found = step;
  }
  sodium_memzero(key->data(), key->size());
  return found;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret_base32) {
  return "otpauth://totp/" + uri_component(issuer) + ":" + uri_component(account) +
         "?secret=" + std::string(secret_base32) + "&issuer=" + uri_component(issuer) +
         "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) + "&period=" + std::to_string(kTotpStepSeconds);
}

std::vector<std::string> new_recovery_codes() {
  init_sodium();
  std::vector<std::string> out;
  for (int n = 0; n < kRecoveryCodeCount; ++n) {
    std::string code;
    for (std::size_t i = 0; i < 2 * kRecoveryGroup; ++i) {
      if (i == kRecoveryGroup) code += '-';
      code += kRecoveryAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kRecoveryAlphabet.size()))];
    }
    out.push_back(std::move(code));
  }
  return out;
}

std::optional<std::string> recovery_code_hash(std::string_view typed) {
  std::string canonical;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (kRecoveryAlphabet.find(c) == std::string_view::npos || canonical.size() == 2 * kRecoveryGroup) {
      return std::nullopt;
    }
    canonical += c;
  }
  if (canonical.size() != 2 * kRecoveryGroup) return std::nullopt;
  return util::sha256_hex(canonical);
}

}  // namespace tt::accounts

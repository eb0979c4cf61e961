// One-time passwords (RFC 4226 HOTP, RFC 6238 TOTP) against the RFCs' published test vectors,
// base32 (RFC 4648 vectors), the acceptance window and replay rule, recovery codes, the otpauth
// address and the QR code drawn from it.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "accounts/totp.hpp"
#include "util/qr_code.hpp"

using namespace tt::accounts;

namespace {

// RFC 6238 Appendix B and RFC 4226 Appendix D use this ASCII key for SHA-1.
const std::string kRfcKey = "12345678901234567890";

std::span<const unsigned char> bytes(const std::string& s) {
  return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

std::string totp_at(const std::string& secret_base32, std::int64_t unix_seconds) {
  return hotp(*base32_decode(secret_base32), static_cast<std::uint64_t>(totp_step(unix_seconds)));
}

}  // namespace

TEST_CASE("totp: RFC 4226 HOTP test vectors (counter 0 to 9)") {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t c = 0; c < 10; ++c) CHECK(hotp(bytes(kRfcKey), c) == expected[c]);
}

TEST_CASE("totp: RFC 6238 SHA-1 test vectors (8 digits, 30-second steps)") {
  struct Vector {
    std::int64_t time;
    const char* code;
  };
  const Vector vectors[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
                            {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& v : vectors) {
    CHECK(hotp(bytes(kRfcKey), static_cast<std::uint64_t>(totp_step(v.time)), 8) == v.code);
  }
  // The 6-digit codes an app shows are the last 6 digits of the same values.
  CHECK(hotp(bytes(kRfcKey), static_cast<std::uint64_t>(totp_step(59))) == "287082");
}

TEST_CASE("totp: base32 of RFC 4648's vectors, both ways") {
  const std::pair<std::string, std::string> vectors[] = {{"", ""},           {"f", "MY"},
                                                         {"fo", "MZXQ"},     {"foo", "MZXW6"},
                                                         {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"},
                                                         {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base32_encode(bytes(plain)) == encoded);
    auto back = base32_decode(encoded);
    REQUIRE(back);
    CHECK(std::string(back->begin(), back->end()) == plain);
  }
  // As people type it: lower case, spaces, padding.
  auto typed = base32_decode("mzxw 6ytb oi======");
  REQUIRE(typed);
  CHECK(std::string(typed->begin(), typed->end()) == "foobar");
  CHECK_FALSE(base32_decode("MZXW1"));   // 1 is not base32
  CHECK_FALSE(base32_decode("MY=A"));    // text after padding
}

TEST_CASE("totp: a new secret is 20 random bytes in base32") {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto s = new_totp_secret();
    CHECK(s.size() == 32);
    CHECK(base32_decode(s)->size() == 20);
    CHECK(seen.insert(s).second);
  }
}

TEST_CASE("totp: a code is accepted one step either side of now, and only for a step after the last used") {
  const std::string secret = base32_encode(bytes(kRfcKey));
  const std::int64_t now = 1111111111;
  const std::int64_t step = totp_step(now);
  CHECK(totp_matching_step(secret, totp_at(secret, now), now, 0) == step);
  CHECK(totp_matching_step(secret, totp_at(secret, now - 30), now, 0) == step - 1);
  CHECK(totp_matching_step(secret, totp_at(secret, now + 30), now, 0) == step + 1);
  CHECK_FALSE(totp_matching_step(secret, totp_at(secret, now - 60), now, 0));
  CHECK_FALSE(totp_matching_step(secret, totp_at(secret, now + 60), now, 0));
  // Replay: the step used last, or an earlier one, is refused; a later one is fine.
  CHECK_FALSE(totp_matching_step(secret, totp_at(secret, now), now, step));
  CHECK_FALSE(totp_matching_step(secret, totp_at(secret, now - 30), now, step));
  CHECK(totp_matching_step(secret, totp_at(secret, now + 30), now, step) == step + 1);
  // As typed: spaces allowed; anything else is not a code.
  const std::string code = totp_at(secret, now);
  CHECK(totp_matching_step(secret, code.substr(0, 3) + " " + code.substr(3), now, 0) == step);
  CHECK_FALSE(totp_matching_step(secret, code + "0", now, 0));
  CHECK_FALSE(totp_matching_step(secret, code.substr(1), now, 0));
  CHECK_FALSE(totp_matching_step(secret, "12345a", now, 0));
  CHECK_FALSE(totp_matching_step(secret, "", now, 0));
  CHECK_FALSE(totp_matching_step("not base32!", code, now, 0));
}

TEST_CASE("totp: recovery codes are 10 different xxxxx-xxxxx codes, found whatever the case and dashes") {
  auto codes = new_recovery_codes();
  REQUIRE(codes.size() == 10);
  std::set<std::string> distinct(codes.begin(), codes.end());
  CHECK(distinct.size() == 10);
  for (const auto& c : codes) {
    CHECK(c.size() == 11);
    CHECK(c[5] == '-');
    CHECK(recovery_code_hash(c));
  }
  const std::string c = codes[0];
  std::string upper = c;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  CHECK(recovery_code_hash(upper) == recovery_code_hash(c));
  CHECK(recovery_code_hash(c.substr(0, 5) + " " + c.substr(6)) == recovery_code_hash(c));
  CHECK(recovery_code_hash(c)->size() == 64);
  CHECK_FALSE(recovery_code_hash(c.substr(0, 10)));
  CHECK_FALSE(recovery_code_hash(c + "a"));
  CHECK_FALSE(recovery_code_hash("abcde-fghi1"));  // 1 is not in the alphabet
}

TEST_CASE("totp: the otpauth address encodes the issuer and the account name") {
  CHECK(otpauth_uri("TraceTrack", "asha", "JBSWY3DPEHPK3PXP") ==
        "otpauth://totp/TraceTrack:asha?secret=JBSWY3DPEHPK3PXP&issuer=TraceTrack&algorithm=SHA1&digits=6&period=30");
  CHECK(otpauth_uri("Trace Track", "a:b&c", "X") ==
        "otpauth://totp/Trace%20Track:a%3Ab%26c?secret=X&issuer=Trace%20Track&algorithm=SHA1&digits=6&period=30");
}

TEST_CASE("qr code: an otpauth address becomes a square of modules drawn as one path") {
  auto qr = tt::util::encode_qr(otpauth_uri("TraceTrack", "asha", new_totp_secret()));
  // About 110 characters at level M: version 6 or 7 (41 or 45 modules).
  CHECK(qr.size >= 37);
  CHECK(qr.size <= 49);
  CHECK(qr.path.starts_with("M0 0h7v1h-7z"));  // the top-left finder pattern's first row
  CHECK(qr.path.find_first_not_of("Mhvz0123456789 -") == std::string::npos);
  auto small = tt::util::encode_qr("hello");
  CHECK(small.size == 21);  // version 1
  CHECK_THROWS(tt::util::encode_qr(std::string(5000, 'x')));
}

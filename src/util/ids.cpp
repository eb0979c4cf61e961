#include "util/ids.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <stdexcept>

#include "util/time.hpp"

namespace tt::util {

namespace {

// libsodium must be initialised once before its random generator is used; the function-local
// static makes that thread-safe and happen on first use, whichever thread gets there first.
void ensure_sodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
    return true;
  }();
  (void)ready;
}

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();  // the terminating NUL sodium_bin2hex writes
  return out;
}

// The last (millisecond, counter) pair handed out, so that ids made by this process are strictly
// increasing even within one millisecond or when the clock steps back (RFC 9562 §6.2, method 1:
// a 12-bit counter in rand_a, seeded randomly each new millisecond).
struct UuidClock {
  std::mutex mutex;
  std::uint64_t ms = 0;
  std::uint32_t counter = 0;
};

UuidClock& uuid_clock() {
  static UuidClock c;
  return c;
}

// Random bytes for row ids, drawn from the system generator a block at a time: a scan makes four
// ids, and one system call per id was a measurable share of the SQLite writer's time. Ids need
// uniqueness, not secrecy; tokens and salts still come straight from the generator.
class IdRandom {
 public:
  void fill(unsigned char* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (used_ == block_.size()) {
        randombytes_buf(block_.data(), block_.size());
        used_ = 0;
      }
      out[i] = block_[used_++];
    }
  }

 private:
  std::array<unsigned char, 1024> block_{};
  std::size_t used_ = block_.size();
};

thread_local IdRandom id_random;

}  // namespace

std::string uuid_v7() {
  ensure_sodium();
  std::array<unsigned char, 16> b{};
  id_random.fill(b.data(), b.size());
  std::array<unsigned char, 2> seed{};  // a new millisecond's counter start
  id_random.fill(seed.data(), seed.size());

  const auto now_ms = static_cast<std::uint64_t>(now_us() / 1000);
  std::uint64_t ms = 0;
  std::uint32_t counter = 0;
  {
    auto& clock = uuid_clock();
    std::lock_guard lock(clock.mutex);
    if (now_ms > clock.ms) {
      clock.ms = now_ms;
      // The top counter bit starts clear so a millisecond can hold at least 2048 ids.
      clock.counter = (static_cast<std::uint32_t>(seed[0]) << 8 | seed[1]) & 0x7FF;
    } else if (++clock.counter > 0xFFF) {
      // Counter exhausted: borrow the next millisecond rather than repeat or go backwards.
      ++clock.ms;
      clock.counter = (static_cast<std::uint32_t>(seed[0]) << 8 | seed[1]) & 0x7FF;
    }
    ms = clock.ms;
    counter = clock.counter;
  }

  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>(0x70 | ((counter >> 8) & 0x0F));  // version 7
  b[7] = static_cast<unsigned char>(counter & 0xFF);
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3F));  // RFC 9562 variant

  const std::string hex = to_hex(b.data(), b.size());
  std::string out;
  out.reserve(36);
  out.append(hex, 0, 8).append(1, '-');
  out.append(hex, 8, 4).append(1, '-');
  out.append(hex, 12, 4).append(1, '-');
  out.append(hex, 16, 4).append(1, '-');
  out.append(hex, 20, 12);
  return out;
}

std::string random_hex(std::size_t n_bytes) {
  ensure_sodium();
  std::string bytes(n_bytes, '\0');
  randombytes_buf(bytes.data(), n_bytes);
  return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), n_bytes);
}

std::string sha256_hex(std::string_view s) {
  ensure_sodium();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(s.data()), s.size());
  return to_hex(digest.data(), digest.size());
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  // The length is not secret (tokens have a fixed length); the contents are.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tt::util

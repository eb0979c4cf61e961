#include "accounts/password_hasher.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sodium.h>

#include <stdexcept>

#include "domain/errors.hpp"
#include "util/ids.hpp"

namespace tt::accounts {

namespace asio = boost::asio;

namespace {

void ensure_sodium() {
  // Idempotent and thread-safe; -1 only when the system has no usable randomness source.
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not initialise");
}

// The pool-side halves. Arguments are taken by value: the coroutine frame owns them for as long as
// it runs, whatever happens to the caller's copies.
asio::awaitable<std::string> hash_job(const PasswordHasher* self, std::string password) {
  std::string out = self->hash_blocking(password);
  sodium_memzero(password.data(), password.size());
  co_return out;
}

asio::awaitable<bool> verify_job(const PasswordHasher* self, std::string stored, std::string password) {
  bool ok = self->verify_blocking(stored, password);
  sodium_memzero(password.data(), password.size());
  co_return ok;
}

}  // namespace

PasswordHasher::Cost PasswordHasher::default_cost() noexcept {
  // Argon2id, 2 passes over 32 MiB, one lane. Measured on the reference depot box (2 vCPU AMD
  // EPYC, libsodium 1.0.18): about 35 ms at 19 MiB/t=2 (the OWASP minimum), 58 ms at 32 MiB/t=2,
  // 130 ms at 64 MiB/t=2 (libsodium's "interactive" level). 32 MiB/t=2 is above the OWASP
  // recommendation while keeping a login in the tens of milliseconds and two concurrent hashes
  // within 64 MiB of memory. Raising either value later is safe: needs_rehash() upgrades each
  // stored hash at its owner's next login.
  return Cost{2, 32u << 20};
}

namespace {

[[noreturn]] void throw_busy() {
  throw domain::Failure(domain::Error::busy, "The server is busy signing people in; try again in a moment.", 1);
}

}  // namespace

class PasswordHasher::Slot {
 public:
  explicit Slot(PasswordHasher& h) : h_(h) {
    if (h_.jobs_.fetch_add(1, std::memory_order_acq_rel) >= h_.max_jobs_) {
      h_.jobs_.fetch_sub(1, std::memory_order_acq_rel);
      throw_busy();
    }
  }
  ~Slot() { h_.jobs_.fetch_sub(1, std::memory_order_acq_rel); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  PasswordHasher& h_;
};

PasswordHasher::PasswordHasher(unsigned threads, Cost cost, unsigned max_waiting)
    : cost_(cost), max_jobs_((threads == 0 ? 1 : threads) + max_waiting), pool_(threads == 0 ? 1 : threads) {
  ensure_sodium();
  nobody_hash_ = hash_blocking(util::random_hex(16));
}

PasswordHasher::~PasswordHasher() {
  pool_.stop();
  pool_.join();
}

std::string PasswordHasher::hash_blocking(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), cost_.opslimit, cost_.memlimit) != 0) {
    // Only when the memory cannot be allocated.
    throw std::runtime_error("password hashing ran out of memory");
  }
  return std::string(out);
}

bool PasswordHasher::verify_blocking(std::string_view stored, std::string_view password) const noexcept {
  // crypto_pwhash_str_verify needs a NUL-terminated string of bounded length.
  if (stored.empty() || stored.size() >= crypto_pwhash_STRBYTES) return false;
  char buf[crypto_pwhash_STRBYTES] = {};
  stored.copy(buf, stored.size());
  return crypto_pwhash_str_verify(buf, password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view stored) const noexcept {
  if (stored.empty() || stored.size() >= crypto_pwhash_STRBYTES) return true;
  char buf[crypto_pwhash_STRBYTES] = {};
  stored.copy(buf, stored.size());
  return crypto_pwhash_str_needs_rehash(buf, cost_.opslimit, cost_.memlimit) != 0;
}

void PasswordHasher::ensure_capacity() const {
  if (jobs_.load(std::memory_order_acquire) >= max_jobs_) throw_busy();
}

asio::awaitable<std::string> PasswordHasher::hash(std::string password) {
  Slot slot(*this);
  // co_spawn on the pool, completion delivered through use_awaitable: this coroutine resumes on its
  // own executor (the connection's strand), not on a hashing thread.
  co_return co_await asio::co_spawn(pool_.get_executor(), hash_job(this, std::move(password)), asio::use_awaitable);
}

asio::awaitable<bool> PasswordHasher::verify(std::string stored_hash, std::string password) {
  Slot slot(*this);
  co_return co_await asio::co_spawn(pool_.get_executor(),
                                    verify_job(this, std::move(stored_hash), std::move(password)),
                                    asio::use_awaitable);
}

asio::awaitable<bool> PasswordHasher::verify_nobody(std::string password) {
  co_await verify(nobody_hash_, std::move(password));
  co_return false;
}

}  // namespace tt::accounts

// Argon2id password hashing (libsodium) on a small dedicated thread pool, so that a login, which
// costs tens of milliseconds of CPU and tens of megabytes of memory, never stalls the io_context
// threads that serve scans. Awaiting any operation resumes the caller on its own executor.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

namespace tt::accounts {

class PasswordHasher {
 public:
  struct Cost {
    unsigned long long opslimit;  // Argon2 passes over memory
    std::size_t memlimit;         // bytes
  };

  // The cost new hashes get; see the comment at its definition for how it was chosen.
  static Cost default_cost() noexcept;

  // `threads` hashes can run at once; each uses memlimit bytes while it runs. At most
  // `max_waiting` more wait for a thread: beyond that, hash() and verify() refuse at once (busy)
  // instead of letting a flood of sign-ins queue up minutes of work.
  explicit PasswordHasher(unsigned threads = 2, Cost cost = default_cost(), unsigned max_waiting = 64);
  ~PasswordHasher();  // waits for a hash in progress, abandons queued ones
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // Throws the busy error of hash() and verify() when they would refuse now.
  void ensure_capacity() const;

  // Each throws domain::Failure `busy` (Retry-After: 1) while saturated.
  // An encoded "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string with a fresh random salt.
  boost::asio::awaitable<std::string> hash(std::string password);

  // True when the password matches the stored hash. A malformed hash never matches.
  boost::asio::awaitable<bool> verify(std::string stored_hash, std::string password);

  // Spends the time of one verification and returns false: used when the user name is unknown, so
  // the response time does not reveal which user names exist.
  boost::asio::awaitable<bool> verify_nobody(std::string password);

  // The stored hash was made with other parameters (or another algorithm) than the current cost:
  // rehash it after the next successful login.
  bool needs_rehash(std::string_view stored_hash) const noexcept;

  // Blocking forms, for the command line and the pool itself. Never call them on io_context threads.
  std::string hash_blocking(std::string_view password) const;
  bool verify_blocking(std::string_view stored_hash, std::string_view password) const noexcept;

 private:
  // Counts a job in for as long as it is queued or running; throws when the queue is full.
  class Slot;

  Cost cost_;
  unsigned max_jobs_;
  std::atomic<unsigned> jobs_{0};
  boost::asio::thread_pool pool_;
  std::string nobody_hash_;  // a hash of random bytes at the current cost, for verify_nobody
};

}  // namespace tt::accounts

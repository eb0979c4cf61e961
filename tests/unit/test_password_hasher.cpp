// Argon2id hashing: correctness, rehash detection, and that the work happens off the io_context
// thread with the caller resumed on its own executor.
#include <doctest/doctest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <string>
#include <thread>

#include "api/error_status.hpp"
#include "accounts/password_hasher.hpp"
#include "http/message.hpp"

using namespace tt::accounts;
namespace asio = boost::asio;

namespace {

// A cheaper cost keeps these tests quick; the production cost is checked separately.
const PasswordHasher::Cost kCheap{1, 8u << 20};

template <class T>
T run(asio::io_context& ctx, asio::awaitable<T> a) {
  auto f = asio::co_spawn(ctx, std::move(a), asio::use_future);
  ctx.run();
  ctx.restart();
  return f.get();
}

}  // namespace

TEST_CASE("password hasher: the production cost is Argon2id, 2 passes over 32 MiB") {
  auto cost = PasswordHasher::default_cost();
  CHECK(cost.opslimit == 2);
  CHECK(cost.memlimit == 32u << 20);
}

TEST_CASE("password hasher: a hash verifies its password only") {
  PasswordHasher hasher(1, kCheap);
  auto h = hasher.hash_blocking("correct horse battery");
  CHECK(h.starts_with("$argon2id$v=19$m=8192,t=1,p=1$"));
  CHECK(h.find("correct horse") == std::string::npos);
  CHECK(hasher.verify_blocking(h, "correct horse battery"));
  CHECK_FALSE(hasher.verify_blocking(h, "correct horse batterY"));
  CHECK_FALSE(hasher.verify_blocking(h, ""));
  // Salted: the same password hashes differently each time.
  CHECK(hasher.hash_blocking("correct horse battery") != h);
}

TEST_CASE("password hasher: malformed stored hashes never verify") {
  PasswordHasher hasher(1, kCheap);
  CHECK_FALSE(hasher.verify_blocking("", "anything"));
  CHECK_FALSE(hasher.verify_blocking("plaintext-password", "plaintext-password"));
  CHECK_FALSE(hasher.verify_blocking(std::string(500, '$'), "x"));
  CHECK(hasher.needs_rehash("not a hash"));
}

TEST_CASE("password hasher: hashes of another cost verify and are flagged for rehash") {
  PasswordHasher cheap(1, kCheap);
  PasswordHasher other(1, PasswordHasher::Cost{2, 9u << 20});
  auto h = cheap.hash_blocking("depot password 1");
  CHECK_FALSE(cheap.needs_rehash(h));
  CHECK(other.needs_rehash(h));
  CHECK(other.verify_blocking(h, "depot password 1"));
}

TEST_CASE("password hasher: hashing runs off the io_context thread and resumes the caller on it") {
  PasswordHasher hasher(1, kCheap);
  asio::io_context ctx;
  const auto io_thread = std::this_thread::get_id();
  bool done = false;
  int other_work_while_hashing = 0;
  bool resumed_on_io_thread = false;
  bool verified = false;

  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    auto h = co_await hasher.hash("scanner gate 42");
    resumed_on_io_thread = std::this_thread::get_id() == io_thread;
    verified = co_await hasher.verify(h, "scanner gate 42");
    resumed_on_io_thread = resumed_on_io_thread && std::this_thread::get_id() == io_thread;
    done = true;
  }, asio::detached);
  // Queued after the hashing coroutine: it runs while that one waits for the pool. Had the hash run
  // on this thread, this coroutine would only start after it, and find `done` already set.
  asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
    while (!done) {
      ++other_work_while_hashing;
      co_await asio::post(ctx, asio::use_awaitable);
    }
  }, asio::detached);
  ctx.run();
  CHECK(done);
  CHECK(verified);
  CHECK(resumed_on_io_thread);
  CHECK(other_work_while_hashing > 0);
}

TEST_CASE("password hasher: an unknown user costs a verification and never succeeds") {
  PasswordHasher hasher(1, kCheap);
  asio::io_context ctx;
  CHECK_FALSE(run(ctx, hasher.verify_nobody("whatever password")));
  CHECK_FALSE(run(ctx, hasher.verify("", "whatever password")));
}

TEST_CASE("password hasher: a full queue refuses at once with 503 busy instead of piling up work") {
  PasswordHasher hasher(1, kCheap, 0);  // one job at a time, none waiting
  asio::io_context ctx;
  int refused = 0, done = 0;
  std::string retry_after;
  for (int i = 0; i < 3; ++i) {
    asio::co_spawn(ctx, [&]() -> asio::awaitable<void> {
      try {
        co_await hasher.hash("queued password");
        ++done;
      } catch (const tt::domain::Failure& e) {
        if (tt::api::http_status(e.code) == 503 && tt::domain::to_string(e.code) == "busy") ++refused;
        if (e.retry_after_seconds) retry_after = std::to_string(*e.retry_after_seconds);
      }
    }, asio::detached);
  }
  ctx.run();
  // The first starts hashing; the other two arrive while it runs (they are queued behind it on
  // this one thread) and are refused.
  CHECK(done == 1);
  CHECK(refused == 2);
  CHECK(retry_after == "1");
  CHECK_NOTHROW(hasher.ensure_capacity());  // free again once the job ended
}

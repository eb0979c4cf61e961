// The one form in which work reaches a transaction: storage::job(fn, args...), given to
// Database::write or Database::read. `fn` is a function (a service) returning asio::awaitable<T>
// and taking the Tx& first; the arguments are bound by value (a backend may run a job again on a
// fresh connection: each run gets its own copies of what fn takes by value).
//
// The coroutine rule of this code base (GCC 12), written here once. GCC 12 miscompiles four shapes
// inside a coroutine, and the code never writes them:
//   1. a lambda, or a braced temporary (`f({a, b})`, `T{a, b}`), written inside a co_await
//      expression: it is destroyed twice, or the compiler rejects it ("array used as
//      initializer"); a lambda with captures defined in a coroutine and then copied may also free
//      its std::string captures twice;
//   2. a conditional expression with class-type operands (`c ? T(a) : T(b)`, `co_await (c ? x()
//      : y())`) in a coroutine: its temporaries are destroyed twice; write if/else instead;
//   3. (with it) a coroutine lambda's captures used after its first suspension: they may be gone;
//   4. `if (!co_await f()) co_return x;`, a co_return as the body of an if whose condition
//      co_awaits: the coroutine was seen to resume into an illegal instruction; read the result
//      into a local first (`const bool done = co_await f(); if (!done) co_return x;`).
// A prvalue returned by a plain (non-coroutine) function is handled correctly wherever it is
// written. So arguments are built by factories (storage::params, services::make_audit_entry, ...)
// and work reaches a transaction as storage::job(fn, args...): `co_await db.write(storage::job(
// services::complete_bill, caller, code, settings))`. Database::write and read accept nothing else
// but callables that hold nothing (lambdas without captures), and a static_assert says so: the
// unsafe form, a lambda with captures, cannot come back.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace tt::storage {

class Tx;

template <class Fn, class... Args>
class TxJob {
 public:
  using result_type = typename std::invoke_result_t<const Fn&, Tx&, const Args&...>::value_type;

  // Runs fn(tx, args...). Parameters taken by value get copies (a job may run again); parameters
  // taken by reference get the job's own arguments, which outlive the run (the job lives in the
  // frame of Database::write until its transaction ends), never a temporary.
  boost::asio::awaitable<result_type> operator()(Tx& tx) const {
    return std::apply([&](const Args&... args) { return std::invoke(fn_, tx, args...); }, args_);
  }

 private:
  template <class F, class... A>
  friend TxJob<F, A...> job(F fn, A... args);
  TxJob(Fn fn, Args... args) : fn_(std::move(fn)), args_(std::move(args)...) {}

  Fn fn_;
  std::tuple<Args...> args_;
};

// Binds fn to its arguments, by value.
template <class Fn, class... Args>
TxJob<Fn, Args...> job(Fn fn, Args... args) {
  return TxJob<Fn, Args...>(std::move(fn), std::move(args)...);
}

template <class T>
inline constexpr bool is_tx_job = false;
template <class Fn, class... Args>
inline constexpr bool is_tx_job<TxJob<Fn, Args...>> = true;

}  // namespace tt::storage

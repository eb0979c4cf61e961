// The result of a service whose change alters what a resolved credential says: who a session or
// an API token belongs to, that user's role, area or state, a password, a second factor, the
// session settings. Such a service returns its result wrapped in CredentialChange; the api call
// helper (api/deps.hpp) unwraps it and, once the transaction has committed, invalidates the
// server's credential cache (accounts/credential_cache.hpp). The handler only ever sees the
// unwrapped value, so no handler can forget the invalidation.
#pragma once

#include <utility>

namespace tt::services {

template <class T>
struct CredentialChange {
  T value;
};

template <>
struct CredentialChange<void> {};

// Built by a plain function, never braced inside a co_await or co_return (the coroutine rule:
// storage/job.hpp).
template <class T>
CredentialChange<T> credential_change(T value) {
  CredentialChange<T> out{std::move(value)};
  return out;
}
inline CredentialChange<void> credential_change() { return CredentialChange<void>(); }

template <class T>
inline constexpr bool is_credential_change = false;
template <class T>
inline constexpr bool is_credential_change<CredentialChange<T>> = true;

}  // namespace tt::services

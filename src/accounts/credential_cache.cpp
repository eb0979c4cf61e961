#include "accounts/credential_cache.hpp"

#include <algorithm>

namespace tt::accounts {

namespace {
constexpr std::chrono::milliseconds kMaxTtl{2000};
}

CredentialCache::CredentialCache(std::chrono::milliseconds ttl, std::size_t max_entries)
    : ttl_us_(std::max<std::int64_t>(
          0, std::chrono::duration_cast<std::chrono::microseconds>(std::min(ttl, kMaxTtl)).count())),
      max_entries_(max_entries) {}

void CredentialCache::invalidate() noexcept { generation_.fetch_add(1, std::memory_order_acq_rel); }

std::uint64_t CredentialCache::generation() const noexcept { return generation_.load(std::memory_order_acquire); }

std::optional<CachedCredential> CredentialCache::get(const std::string& key, std::int64_t now_us) {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  const Entry& e = it->second;
  if (e.generation != generation() || now_us - e.stored_at >= ttl_us_ || now_us < e.stored_at) {
    entries_.erase(it);
    return std::nullopt;
  }
  return e.value;
}

void CredentialCache::put(const std::string& key, CachedCredential value, std::uint64_t generation,
                          std::int64_t now_us) {
  if (!enabled() || generation != this->generation()) return;
  std::lock_guard lock(mutex_);
  // A bounded map: when full, drop everything (all entries are at most ttl old anyway).
  if (entries_.size() >= max_entries_ && !entries_.contains(key)) entries_.clear();
  entries_.insert_or_assign(key, Entry{std::move(value), generation, now_us});
}

TouchThrottle::TouchThrottle(std::int64_t interval_us, std::size_t max_entries)
    : interval_us_(interval_us), max_entries_(max_entries) {}

bool TouchThrottle::claim(std::int64_t id, std::int64_t stored, std::int64_t now) {
  std::lock_guard lock(mutex_);
  auto it = claimed_.find(id);
  std::int64_t last = stored;
  if (it != claimed_.end()) last = std::max(last, it->second);
  if (now - last < interval_us_) return false;
  if (claimed_.size() >= max_entries_ && it == claimed_.end()) {
    // Claims older than one interval no longer suppress anything: forget them.
    std::erase_if(claimed_, [&](const auto& kv) { return now - kv.second >= interval_us_; });
  }
  claimed_[id] = now;
  return true;
}

std::int64_t TouchThrottle::latest(std::int64_t id, std::int64_t stored) {
  std::lock_guard lock(mutex_);
  auto it = claimed_.find(id);
  return it == claimed_.end() ? stored : std::max(stored, it->second);
}

}  // namespace tt::accounts

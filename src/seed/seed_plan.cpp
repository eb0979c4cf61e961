#include "seed/seed_plan.hpp"

#include <algorithm>
#include <cstdio>

namespace tt::seed {

namespace {

constexpr int kNumbersPerKind = 100000;  // five digits
constexpr int kDefaultCapacity = 30;
constexpr std::int64_t kDayUs = 86400LL * 1000000;

std::string padded(const char* prefix, int width, long long n) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%0*lld", prefix, width, n);
  return buf;
}

std::int64_t parent_spacing(const SeedOptions& o) { return o.days * kDayUs / std::max(o.parents, 1); }

}  // namespace

std::optional<std::string> validate(const SeedOptions& o) {
  if (o.parents < 2 || o.parents % 2 != 0 || o.parents > 2 * kNumbersPerKind) {
    return "--parents must be an even number from 2 to 200000";
  }
  if (o.children < 0 || o.children > kDefaultCapacity) return "--children must be from 0 to 30 (the parent capacity)";
  if (o.areas < 1 || o.areas > 100) return "--areas must be from 1 to 100";
  if (o.areas > o.parents / 2) return "--areas cannot exceed half the parents";
  if (o.users_per_area < 1 || o.users_per_area > 100) return "--users-per-area must be from 1 to 100";
  if (o.parents_per_bill < 1 || o.parents_per_bill > 100) return "--parents-per-bill must be from 1 to 100";
  if (o.bills < 0 || static_cast<long long>(o.bills) * o.parents_per_bill > o.parents) {
    return "--bills times --parents-per-bill cannot exceed the parents";
  }
  if (o.days < 1 || o.days > 3650) return "--days must be from 1 to 3650";
  return std::nullopt;
}

std::string parent_code(int parent) {
  return padded(parent % 2 == 0 ? "SB" : "M444-", 5, parent / 2);
}

std::string parent_kind(int parent) { return parent % 2 == 0 ? "SB" : "M444"; }

std::string child_code(const SeedOptions& o, int parent, int child) {
  return padded("CS", 7, static_cast<long long>(parent) * o.children + child);
}

std::string bill_code(int bill) { return padded("BILL-", 6, bill + 1); }

std::string area_name(int area) { return "Depot " + std::to_string(area + 1); }

std::string dispatcher_name(int area, int n) {
  return "depot" + std::to_string(area + 1) + ".scanner" + std::to_string(n + 1);
}

std::string biller_name(int area) { return "depot" + std::to_string(area + 1) + ".biller"; }

int area_of_parent(const SeedOptions& o, int parent) {
  const long long numbers = o.parents / 2;
  return static_cast<int>(static_cast<long long>(parent / 2) * o.areas / numbers);
}

std::pair<int, int> parent_numbers_of_area(const SeedOptions& o, int area) {
  const long long numbers = o.parents / 2;
  // The smallest n with n * areas / numbers == area, up to the one before the next area's.
  const auto first = [&](long long a) { return static_cast<int>((a * numbers + o.areas - 1) / o.areas); };
  return {first(area), first(area + 1) - 1};
}

std::int64_t parent_time(const SeedOptions& o, int parent, std::int64_t end_us) {
  return end_us - o.days * kDayUs + parent * parent_spacing(o);
}

std::int64_t child_time(const SeedOptions& o, int parent, int child, std::int64_t end_us) {
  return parent_time(o, parent, end_us) + (child + 1) * (parent_spacing(o) / (o.children + 2));
}

int first_parent_of_bill(const SeedOptions& o, int bill) { return bill * o.parents_per_bill; }

int end_parent_of_bill(const SeedOptions& o, int bill) { return (bill + 1) * o.parents_per_bill; }

bool bill_completed(const SeedOptions& o, int bill) {
  return bill < static_cast<int>(o.bills * o.completed_share);
}

int area_of_bill(const SeedOptions& o, int bill) { return area_of_parent(o, first_parent_of_bill(o, bill)); }

std::int64_t bill_created_at(const SeedOptions& o, int bill, std::int64_t end_us) {
  constexpr std::int64_t kMinuteUs = 60LL * 1000000;
  const int last = end_parent_of_bill(o, bill) - 1;
  return std::min(end_us, child_time(o, last, std::max(o.children - 1, 0), end_us) + kMinuteUs);
}

}  // namespace tt::seed

// The shape of a generated data set (`tracetrack seed`): which bags exist, in which area, made by
// whom and when. Pure functions of the options and an index, so the writer can produce any slice
// of the data set on its own and the tests can predict every row.
//
// Parents alternate between the two default kinds: parent p is SB<n> when p is even and M444-<n>
// when odd, with n = p / 2, so a data set of P parents uses the numbers 0 .. P/2 - 1 of each kind
// and leaves the rest to live scanning (the benchmark scans 30000-99999). Each area owns one
// contiguous block of numbers, so "the parents of area 1" is a range a load generator can name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tt::seed {

struct SeedOptions {
  int parents = 60000;          // even, at most 2 x 100,000 (five-digit numbers of two kinds)
  int children = 30;            // per parent, at most the default capacity of 30
  int areas = 5;
  int users_per_area = 4;       // dispatchers; each area also gets one biller
  int bills = 2000;
  int parents_per_bill = 20;    // a bill's capacity
  int days = 30;                // the history ends now and reaches back this many days
  double completed_share = 0.9; // the oldest bills are completed, the newest open
};

// A message naming the first option out of range, or nothing.
std::optional<std::string> validate(const SeedOptions& o);

std::string parent_code(int parent);                            // SB00000, M444-00000, SB00001, ...
std::string parent_kind(int parent);                            // "SB" or "M444"
std::string child_code(const SeedOptions& o, int parent, int child);  // CS0000000 ...
std::string bill_code(int bill);                                // BILL-000001 ...
std::string area_name(int area);                                // "Depot 1" ... (area is 0-based)
std::string dispatcher_name(int area, int n);                   // depot1.scanner1 ...
std::string biller_name(int area);                              // depot1.biller

int area_of_parent(const SeedOptions& o, int parent);            // 0-based
// The parent numbers (the digits of its code) of one area, as an inclusive range.
std::pair<int, int> parent_numbers_of_area(const SeedOptions& o, int area);

// Times in microseconds since the epoch; `end_us` is the moment the history ends.
std::int64_t parent_time(const SeedOptions& o, int parent, std::int64_t end_us);
std::int64_t child_time(const SeedOptions& o, int parent, int child, std::int64_t end_us);

// Bill b holds parents [first, last); it is completed when it is among the oldest bills.
int first_parent_of_bill(const SeedOptions& o, int bill);
int end_parent_of_bill(const SeedOptions& o, int bill);
bool bill_completed(const SeedOptions& o, int bill);
// The area of a bill's parents (they never straddle two areas with the default options).
int area_of_bill(const SeedOptions& o, int bill);
// A bill is made a minute after its last parent was filled, and never after `end_us`.
std::int64_t bill_created_at(const SeedOptions& o, int bill, std::int64_t end_us);

}  // namespace tt::seed

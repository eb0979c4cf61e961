// What one scanner does, as a pure state machine with no I/O so that it can be unit-tested: it
// plans the next request (scan a parent, thirty children, the next parent; duplicates, rejections,
// lookups and dashboard reads mixed in) and judges each answer against the outcome the API must
// give (SPEC §3.2): a re-scan answers already_linked, a child into a full parent parent_full, a
// parent code scanned as a child not_a_child. Anything else is an unexpected answer: an error.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "codes.hpp"
#include "rng.hpp"

namespace tt::bench {

enum class Op : std::uint8_t { scan_parent, scan_child, duplicate, rejection, bag_lookup, stats, health };
inline constexpr std::size_t kOpCount = 7;
inline constexpr std::array<Op, kOpCount> kAllOps{Op::scan_parent, Op::scan_child, Op::duplicate, Op::rejection,
                                                  Op::bag_lookup,  Op::stats,      Op::health};
// Scans (writes) and reads, as the per-second timeline groups them.
inline constexpr bool is_scan(Op op) {
  return op == Op::scan_parent || op == Op::scan_child || op == Op::duplicate || op == Op::rejection;
}
inline constexpr bool is_read(Op op) { return op == Op::bag_lookup || op == Op::stats; }
std::string_view op_name(Op op);

// The outcome a request must have to count as a success.
enum class Expect : std::uint8_t { success, linked, already_linked, parent_full, not_a_child };

struct Mix {
  double duplicate_share = 0.05;   // linked children scanned a second time (scanners double-fire)
  double rejection_share = 0.10;   // parents that get one parent_full and one not_a_child attempt
  double lookup_share = 0.02;      // requests that are bag lookups
  double stats_share = 0.005;      // requests that are dashboard reads
  std::uint32_t capacity = 30;     // children per parent until the server says otherwise
  // Lookups pick parents of this range (e.g. seeded data) instead of the scanner's own recent bags.
  std::optional<ParentRange> lookup_range;
  // Every request is GET /healthz (no sign-in): the server's HTTP ceiling, measured the same way.
  bool healthz_only = false;
};

struct PlannedRequest {
  Op op = Op::stats;
  Expect expect = Expect::success;
  bool post = false;
  std::string target;  // path and query
  std::string body;    // JSON, empty for GET
  std::string code;    // the bag code the request is about (empty for stats)
};

// status 0: no HTTP answer (connection failure, timeout).
struct Answer {
  int status = 0;
  std::string_view body;
};

// `error` is empty when the answer is the expected one, else a short key such as
// "scan_child 409 linked_elsewhere" under which errors are counted.
struct Verdict {
  bool expected = false;
  std::string error;
};

class Workflow {
 public:
  Workflow(const Mix& mix, ParentCodeAllocator& parents, std::string run_id, std::uint64_t connection,
           std::uint64_t seed);

  // Fills `out` with the next request; false when the parent code range is used up.
  bool next(PlannedRequest& out);
  // Judges the answer to `req` (the request last returned by next) and moves the state on.
  Verdict on_answer(const PlannedRequest& req, Answer answer);

  // State, for the tests.
  const std::string& current_parent() const { return parent_; }
  std::uint32_t child_count() const { return child_count_; }
  std::uint32_t capacity() const { return capacity_; }
  std::uint64_t children_made() const { return next_child_; }

 private:
  void plan_scan_parent(PlannedRequest& out, std::string code);
  void plan_child(PlannedRequest& out, Op op, Expect expect, const std::string& child);
  void plan_get(PlannedRequest& out, Op op, std::string_view target_prefix, const std::string& code);
  bool plan_lookup(PlannedRequest& out);
  void start_parent(std::string code);
  void drop_parent();
  std::string new_child_code();

  const Mix& mix_;
  ParentCodeAllocator& parents_;
  std::string run_id_;
  std::uint64_t connection_;
  Rng rng_;

  std::string parent_;           // empty: no current parent
  std::string previous_parent_;  // scanned as a child for not_a_child
  std::uint32_t child_count_ = 0;
  std::uint32_t capacity_;
  std::string last_child_;
  std::uint64_t next_child_ = 0;
  bool duplicate_pending_ = false;
  bool full_rejection_pending_ = false;
  std::int64_t not_a_child_at_ = -1;  // child count at which to scan a parent code as a child
};

}  // namespace tt::bench

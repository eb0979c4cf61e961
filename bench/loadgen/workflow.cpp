#include "workflow.hpp"

#include "json_fields.hpp"

namespace tt::bench {

std::string_view op_name(Op op) {
  switch (op) {
    case Op::scan_parent: return "scan_parent";
    case Op::scan_child: return "scan_child";
    case Op::duplicate: return "duplicate";
    case Op::rejection: return "rejection";
    case Op::bag_lookup: return "bag_lookup";
    case Op::stats: return "stats";
    case Op::health: return "healthz";
  }
  return "unknown";
}

Workflow::Workflow(const Mix& mix, ParentCodeAllocator& parents, std::string run_id, std::uint64_t connection,
                   std::uint64_t seed)
    : mix_(mix),
      parents_(parents),
      run_id_(std::move(run_id)),
      connection_(connection),
      rng_(seed ^ (connection * 0x9e3779b97f4a7c15ULL)),
      capacity_(mix.capacity) {}

std::string Workflow::new_child_code() { return child_code(run_id_, connection_, next_child_++); }

void Workflow::plan_scan_parent(PlannedRequest& out, std::string code) {
  out.op = Op::scan_parent;
  out.expect = Expect::success;
  out.post = true;
  out.target = "/api/v1/scans/parent";
  out.body.assign("{\"code\":\"").append(code).append("\"}");
  out.code = std::move(code);
}

void Workflow::plan_child(PlannedRequest& out, Op op, Expect expect, const std::string& child) {
  out.op = op;
  out.expect = expect;
  out.post = true;
  out.target = "/api/v1/scans/child";
  // Codes are [0-9A-Z-]: nothing to escape.
  out.body.assign("{\"parent\":\"").append(parent_).append("\",\"code\":\"").append(child).append("\"}");
  out.code = child;
}

void Workflow::plan_get(PlannedRequest& out, Op op, std::string_view target_prefix, const std::string& code) {
  out.op = op;
  out.expect = Expect::success;
  out.post = false;
  out.target.assign(target_prefix).append(code);
  out.body.clear();
  out.code = code;
}

bool Workflow::plan_lookup(PlannedRequest& out) {
  if (mix_.lookup_range) {
    const auto& r = *mix_.lookup_range;
    plan_get(out, Op::bag_lookup, "/api/v1/bags/", parent_code_at(r, rng_.below(r.size())));
    return true;
  }
  // A scanner looks up what it has just handled: the parent or its last child.
  if (parent_.empty()) return false;
  const bool child = !last_child_.empty() && rng_.chance(0.5);
  plan_get(out, Op::bag_lookup, "/api/v1/bags/", child ? last_child_ : parent_);
  return true;
}

void Workflow::start_parent(std::string code) {
  parent_ = std::move(code);
  child_count_ = 0;
  capacity_ = mix_.capacity;
  last_child_.clear();
  duplicate_pending_ = false;
  full_rejection_pending_ = rng_.chance(mix_.rejection_share);
  not_a_child_at_ = (!previous_parent_.empty() && rng_.chance(mix_.rejection_share))
                        ? static_cast<std::int64_t>(rng_.below(capacity_))
                        : -1;
}

void Workflow::drop_parent() {
  if (!parent_.empty()) previous_parent_ = parent_;
  parent_.clear();
  last_child_.clear();
  child_count_ = 0;
  duplicate_pending_ = false;
  full_rejection_pending_ = false;
  not_a_child_at_ = -1;
}

bool Workflow::next(PlannedRequest& out) {
  if (mix_.healthz_only) {
    out.op = Op::health;
    out.expect = Expect::success;
    out.post = false;
    out.target = "/healthz";
    out.body.clear();
    out.code.clear();
    return true;
  }
  const double roll = rng_.uniform();
  if (roll < mix_.stats_share) {
    out.op = Op::stats;
    out.expect = Expect::success;
    out.post = false;
    out.target = "/api/v1/stats";
    out.body.clear();
    out.code.clear();
    return true;
  }
  if (roll < mix_.stats_share + mix_.lookup_share && plan_lookup(out)) return true;

  if (parent_.empty()) {
    auto code = parents_.next();
    if (!code) return false;
    plan_scan_parent(out, std::move(*code));
    return true;
  }
  if (duplicate_pending_) {
    duplicate_pending_ = false;
    plan_child(out, Op::duplicate, Expect::already_linked, last_child_);
    return true;
  }
  if (not_a_child_at_ >= 0 && static_cast<std::int64_t>(child_count_) >= not_a_child_at_) {
    not_a_child_at_ = -1;
    plan_child(out, Op::rejection, Expect::not_a_child, previous_parent_);
    return true;
  }
  if (child_count_ >= capacity_) {
    if (full_rejection_pending_) {
      full_rejection_pending_ = false;
      plan_child(out, Op::rejection, Expect::parent_full, new_child_code());
      return true;
    }
    drop_parent();
    return next(out);
  }
  plan_child(out, Op::scan_child, Expect::linked, new_child_code());
  return true;
}

namespace {

bool is_2xx(int status) { return status >= 200 && status < 300; }

std::string error_key(const PlannedRequest& req, Answer a, std::string_view detail) {
  std::string key(op_name(req.op));
  key += ' ';
  key += std::to_string(a.status);
  if (!detail.empty()) {
    key += ' ';
    key += detail;
  }
  return key;
}

// The error code of an error answer, else the result field of a success, else nothing.
std::string_view describe(Answer a) {
  if (auto code = json_string_field(a.body, "code"); code && !is_2xx(a.status)) return *code;
  if (auto result = json_string_field(a.body, "result")) return *result;
  return {};
}

}  // namespace

Verdict Workflow::on_answer(const PlannedRequest& req, Answer a) {
  Verdict v;
  const auto unexpected = [&](std::string_view detail) {
    v.expected = false;
    v.error = error_key(req, a, detail);
    return v;
  };

  if (a.status == 0) {
    // No answer: a scan may or may not have happened. Give up on that parent only when it was the
    // parent scan itself; a lost child scan just moves to a fresh child code.
    if (req.op == Op::scan_parent) drop_parent();
    return unexpected("no answer");
  }

  switch (req.expect) {
    case Expect::success:
      if (!is_2xx(a.status)) {
        if (req.op == Op::scan_parent) drop_parent();
        return unexpected(describe(a));
      }
      if (req.op == Op::scan_parent) {
        start_parent(req.code);
        const auto children = json_int_field(a.body, "child_count");
        if (const auto cap = json_int_field(a.body, "capacity"); cap && *cap > 0) {
          capacity_ = static_cast<std::uint32_t>(*cap);
        }
        if (children && *children > 0) {
          // Someone (seed data, an earlier run) already filled this parent: the parent range
          // overlaps existing data. Counted, and the scanner moves to the next code.
          drop_parent();
          return unexpected("parent_in_use");
        }
      }
      v.expected = true;
      return v;

    case Expect::linked: {
      if (is_2xx(a.status)) {
        const auto result = json_string_field(a.body, "result");
        if (result != std::string_view("linked")) return unexpected(result.value_or("no result"));
        const auto count = json_int_field(a.body, "child_count");
        child_count_ = count ? static_cast<std::uint32_t>(*count) : child_count_ + 1;
        if (const auto cap = json_int_field(a.body, "capacity"); cap && *cap > 0) {
          capacity_ = static_cast<std::uint32_t>(*cap);
        }
        last_child_ = req.code;
        duplicate_pending_ = rng_.chance(mix_.duplicate_share);
        v.expected = true;
        return v;
      }
      const auto detail = describe(a);
      // Our own count was wrong: the parent is full. Still an error, but move on.
      if (detail == "parent_full") child_count_ = capacity_;
      return unexpected(detail);
    }

    case Expect::already_linked: {
      if (is_2xx(a.status) && json_string_field(a.body, "result") == std::string_view("already_linked")) {
        v.expected = true;
        return v;
      }
      return unexpected(describe(a));
    }

    case Expect::parent_full:
    case Expect::not_a_child: {
      const std::string_view want = req.expect == Expect::parent_full ? "parent_full" : "not_a_child";
      if (a.status >= 400 && a.status < 500 && json_string_field(a.body, "code") == want) {
        v.expected = true;
        return v;
      }
      return unexpected(describe(a));
    }
  }
  return unexpected("unknown expectation");
}

}  // namespace tt::bench

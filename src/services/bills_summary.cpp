#include "services/bills_summary.hpp"

#include <algorithm>
#include <map>

#include "domain/bill_rules.hpp"
#include "domain/errors.hpp"
#include "services/report_area.hpp"
#include "storage/tables/bills.hpp"
#include "util/csv.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

// Bills whose figures are read in one statement: bounds its parameters and the rows it returns.
constexpr std::size_t kFiguresChunk = 500;

void check_range(const BillsSummaryQuery& q) {
  if (q.to.number < q.from.number) {
    throw domain::Failure(domain::Error::invalid_request,
                          "The range ends (" + q.to.date() + ") before it starts (" + q.from.date() + ").");
  }
  if (q.to.number - q.from.number + 1 > kMaxSummaryDays) {
    throw domain::Failure(domain::Error::invalid_request, "A bills summary covers at most " +
                                                              std::to_string(kMaxSummaryDays) +
                                                              " days; choose a shorter range.");
  }
}

std::vector<BillsSummaryDay> days_of(const BillsSummaryQuery& q) {
  std::vector<BillsSummaryDay> days;
  for (std::int64_t n = q.from.number; n <= q.to.number; ++n) {
    BillsSummaryDay d;
    d.day = domain::local_day(n, q.zone);
    days.push_back(d);
  }
  return days;
}

// The day of the range that holds an instant, if any.
BillsSummaryDay* day_of(std::vector<BillsSummaryDay>& days, const BillsSummaryQuery& q, std::int64_t at) {
  const std::int64_t i = domain::local_day_at(at, q.zone).number - q.from.number;
  if (i < 0 || i >= static_cast<std::int64_t>(days.size())) return nullptr;
  return &days[static_cast<std::size_t>(i)];
}

Bill bill_of(storage::BillRow row) {
  Bill b;
  static_cast<storage::BillRow&>(b) = std::move(row);
  return b;
}

// The figures of bills[first, first + count), from their parents' kinds and child counts.
void set_figures(std::vector<Bill>& bills, std::size_t first, const std::vector<storage::BillParentCount>& counts,
                 const domain::Settings& settings) {
  std::map<std::int64_t, std::vector<domain::BillParentCount>> by_bill;
  for (const auto& c : counts) by_bill[c.bill_id].push_back(domain::BillParentCount{c.kind, c.child_count});
  const std::size_t last = std::min(bills.size(), first + kFiguresChunk);
  for (std::size_t i = first; i < last; ++i) bills[i].figures = domain::bill_figures(by_bill[bills[i].id], settings);
}

std::vector<std::int64_t> ids_of(const std::vector<Bill>& bills, std::size_t first) {
  std::vector<std::int64_t> ids;
  const std::size_t last = std::min(bills.size(), first + kFiguresChunk);
  for (std::size_t i = first; i < last; ++i) ids.push_back(bills[i].id);
  return ids;
}

void add_up(BillsSummary& s, const BillsSummaryQuery& q) {
  for (const Bill& b : s.bills) {
    if (BillsSummaryDay* d = day_of(s.days, q, b.created_at)) {
      ++d->created;
      ++s.totals.created;
    }
    if (b.completed_at) {
      if (BillsSummaryDay* d = day_of(s.days, q, *b.completed_at)) {
        ++d->completed;
        ++s.totals.completed;
      }
    }
    s.totals.parents += b.figures.parent_count;
    s.totals.children += b.figures.child_count;
    s.totals.actual_weight_kg += b.figures.actual_weight_kg;
    s.totals.expected_weight_kg += b.figures.expected_weight_kg;
    s.totals.variance_kg += b.figures.variance_kg;
  }
  s.totals.bills = static_cast<std::int64_t>(s.bills.size());
}

}  // namespace

asio::awaitable<BillsSummary> bills_summary(storage::Tx& tx, Caller caller, BillsSummaryQuery q,
                                            SettingsPtr settings) {
  check_range(q);
  BillsSummary s;
  s.from = q.from;
  s.to = q.to;
  s.time_zone = q.zone.name();
  s.days = days_of(q);
  std::optional<std::int64_t> area_id;
  if (q.area) {
    const ReportArea area = co_await find_report_area(tx, *q.area);
    area_id = area.id;
    s.area = area.name;
  }
  if (!caller.sees_all_areas()) {
    // Their own area only: another area named gives nothing.
    const std::int64_t own = caller.area_id.value_or(-1);
    if (area_id && *area_id != own) co_return s;
    area_id = own;
  }
  std::vector<storage::BillRow> rows = co_await storage::bills::select_active(tx, q.from.start, q.to.end, area_id, q.site);
  s.bills.reserve(rows.size());
  for (auto& r : rows) s.bills.push_back(bill_of(std::move(r)));
  rows.clear();
  for (std::size_t first = 0; first < s.bills.size(); first += kFiguresChunk) {
    const std::vector<std::int64_t> ids = ids_of(s.bills, first);
    const std::vector<storage::BillParentCount> counts = co_await storage::bill_parents::counts_of_bills(tx, ids);
    set_figures(s.bills, first, counts, *settings);
  }
  add_up(s, q);
  co_return s;
}

std::string bills_summary_csv(const BillsSummary& summary, bool raw) {
  std::string out =
      "code,description,destination,vehicle,status,area,capacity,parents,children,actual_weight_kg,"
      "expected_weight_kg,variance_kg,created_at,created_by,completed_at\r\n";
  for (const Bill& b : summary.bills) {
    util::CsvLine line(out, !raw);
    line.text(b.code).text(b.description).text(b.destination).text(b.vehicle).text(domain::to_string(b.status));
    line.text(b.area).number(b.capacity).number(b.figures.parent_count).number(b.figures.child_count);
    line.number(b.figures.actual_weight_kg).number(b.figures.expected_weight_kg).number(b.figures.variance_kg);
    line.text(util::format_iso8601(b.created_at)).text(b.created_by);
    if (b.completed_at) {
      line.text(util::format_iso8601(*b.completed_at));
    } else {
      line.text("");
    }
    line.end();
  }
  return out;
}

}  // namespace tt::services

#include "services/scan_report.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "domain/errors.hpp"
#include "services/report_area.hpp"
#include "storage/tables/scan_events.hpp"
#include "util/csv.hpp"
#include "util/time.hpp"

namespace tt::services {

namespace {

constexpr std::int64_t kHourUs = 3600LL * 1000000;
constexpr std::int64_t kDayUs = 24 * kHourUs;

std::size_t outcome_index(std::string_view outcome) noexcept {
  for (std::size_t i = 0; i < kScanOutcomes.size(); ++i) {
    if (kScanOutcomes[i] == outcome) return i;
  }
  return kScanOutcomes.size();
}

// "HH:MM" of the wall clock at an instant, `offset` seconds east of UTC.
std::string wall_clock(std::int64_t instant, std::int64_t offset) {
  std::int64_t in_day = (instant + offset * 1000000) % kDayUs;
  if (in_day < 0) in_day += kDayUs;
  const std::int64_t minutes = in_day / 60000000;
  std::string out(5, ':');
  out[0] = static_cast<char>('0' + minutes / 600);
  out[1] = static_cast<char>('0' + minutes / 60 % 10);
  out[3] = static_cast<char>('0' + minutes % 60 / 10);
  out[4] = static_cast<char>('0' + minutes % 10);
  return out;
}

// The hours of the day from its local midnight: 24, or 23 or 25 on a daylight-saving change (a
// last, shorter hour when a change moves the clocks by half an hour).
std::vector<ScanReportHour> hours_of(const domain::LocalDay& day, const util::TimeZone& zone) {
  std::vector<ScanReportHour> hours;
  for (std::int64_t at = day.start; at < day.end; at += kHourUs) {
    ScanReportHour h;
    h.index = static_cast<int>(hours.size());
    h.start = at;
    h.utc_offset = zone.offset_at(at);
    h.label = wall_clock(at, h.utc_offset);
    hours.push_back(std::move(h));
  }
  return hours;
}

std::vector<ScanReportGroup> ranked(std::map<std::string, OutcomeCounts> groups) {
  std::vector<ScanReportGroup> out;
  out.reserve(groups.size());
  for (auto& [name, counts] : groups) out.push_back(ScanReportGroup{name, counts});
  std::stable_sort(out.begin(), out.end(), [](const ScanReportGroup& a, const ScanReportGroup& b) {
    return a.counts.total() > b.counts.total();
  });
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> ranked(std::map<std::string, std::int64_t> counts) {
  std::vector<std::pair<std::string, std::int64_t>> out(counts.begin(), counts.end());
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

bool line_before(const ScanReportLine& a, const ScanReportLine& b) {
  return std::forward_as_tuple(a.hour, a.user, a.area, outcome_index(a.outcome), a.reason) <
         std::forward_as_tuple(b.hour, b.user, b.area, outcome_index(b.outcome), b.reason);
}

}  // namespace

std::int64_t OutcomeCounts::total() const noexcept {
  std::int64_t sum = other_;
  for (std::int64_t v : n) sum += v;
  return sum;
}

void OutcomeCounts::add(std::string_view outcome, std::int64_t count) noexcept {
  const std::size_t i = outcome_index(outcome);
  if (i < n.size()) {
    n[i] += count;
  } else {
    other_ += count;
  }
}

std::int64_t OutcomeCounts::of(std::string_view outcome) const noexcept {
  const std::size_t i = outcome_index(outcome);
  return i < n.size() ? n[i] : 0;
}

std::string format_utc_offset(std::int64_t seconds) {
  std::string out(1, seconds < 0 ? '-' : '+');
  const std::int64_t minutes = (seconds < 0 ? -seconds : seconds) / 60;
  out += static_cast<char>('0' + minutes / 600);
  out += static_cast<char>('0' + minutes / 60 % 10);
  out += ':';
  out += static_cast<char>('0' + minutes % 60 / 10);
  out += static_cast<char>('0' + minutes % 10);
  return out;
}

asio::awaitable<ScanReport> scan_report(storage::Tx& tx, Caller caller, ScanReportQuery q) {
  ScanReport report;
  report.day = q.day;
  report.time_zone = q.zone.name();
  report.hours = hours_of(q.day, q.zone);
  std::optional<std::int64_t> area_id;
  if (q.area) {
    const ReportArea area = co_await find_report_area(tx, *q.area);
    area_id = area.id;
    report.area = area.name;
  }
  storage::ScanDayFilter filter;
  filter.start = q.day.start;
  filter.end = q.day.end;
  if (!caller.sees_all_areas()) filter.visible_area = caller.area_id.value_or(-1);
  filter.area = area_id;
  filter.site = q.site;
  const std::vector<storage::ScanDayGroup> groups = co_await storage::scan_events::day_groups(tx, filter);

  std::map<std::string, OutcomeCounts> users, areas;
  std::map<std::string, std::int64_t> reasons;
  const auto last_hour = static_cast<std::int64_t>(report.hours.size()) - 1;
  for (const auto& g : groups) {
    ScanReportLine line;
    line.hour = static_cast<int>(std::clamp<std::int64_t>(g.hour, 0, last_hour));
    line.user = g.user.value_or("");
    line.area = g.area.value_or("");
    line.outcome = g.result;
    line.reason = g.reason.value_or("");
    line.scans = g.scans;
    report.totals.add(line.outcome, line.scans);
    report.hours[static_cast<std::size_t>(line.hour)].counts.add(line.outcome, line.scans);
    users[line.user].add(line.outcome, line.scans);
    areas[line.area].add(line.outcome, line.scans);
    if (line.outcome == "rejected") reasons[line.reason] += line.scans;
    report.lines.push_back(std::move(line));
  }
  std::sort(report.lines.begin(), report.lines.end(), line_before);
  report.per_user = ranked(std::move(users));
  report.per_area = ranked(std::move(areas));
  report.rejected_by_reason = ranked(std::move(reasons));
  co_return report;
}

std::string scan_report_csv(const ScanReport& report, bool raw) {
  std::string out = "date,hour,hour_start,user,area,outcome,reason,scans\r\n";
  const std::string date = report.day.date();
  for (const auto& l : report.lines) {
    const ScanReportHour& h = report.hours[static_cast<std::size_t>(l.hour)];
    util::CsvLine line(out, !raw);
    line.text(date).text(h.label).text(util::format_iso8601(h.start));
    line.text(l.user).text(l.area).text(l.outcome).text(l.reason).number(l.scans);
    line.end();
  }
  return out;
}

}  // namespace tt::services

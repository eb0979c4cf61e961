#include "api/json_shapes.hpp"

#include "domain/role.hpp"
#include "domain/scan_rules.hpp"
#include "util/time.hpp"

namespace tt::api {

nlohmann::json opt_json(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json opt_time(const std::optional<std::int64_t>& us) {
  return us ? nlohmann::json(util::format_iso8601(*us)) : nlohmann::json(nullptr);
}

namespace {

// Stored JSON text back to JSON; text that is not JSON (never written by us) stays a string.
nlohmann::json stored_json(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  return j.is_discarded() ? nlohmann::json(*text) : j;
}

nlohmann::json linked_json(const services::LinkedBag& b) {
  return nlohmann::json{{"code", b.code}, {"linked_at", util::format_iso8601(b.linked_at)}, {"linked_by", opt_json(b.linked_by)}};
}

nlohmann::json history_json(const services::HistoryEntry& e) {
  nlohmann::json j{{"source", e.source}, {"at", util::format_iso8601(e.at)}, {"user", opt_json(e.user)}, {"action", e.action}};
  if (e.source == "scan") {
    j["code"] = opt_json(e.code);
    j["parent"] = opt_json(e.parent_code);
    j["bill"] = opt_json(e.bill_code);
    j["result"] = opt_json(e.result);
    j["reason"] = opt_json(e.reason);
  } else {
    j["before"] = stored_json(e.before_json);
    j["after"] = stored_json(e.after_json);
  }
  j["client"] = opt_json(e.client);
  j["site"] = opt_json(e.site);
  return j;
}

nlohmann::json activity_json(const std::vector<services::Activity>& v, const char* name_key) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : v) {
    out.push_back({{name_key, a.name.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.name)},
                   {"scans", a.scans},
                   {"linked", a.linked},
                   {"rejected", a.rejected}});
  }
  return out;
}

}  // namespace

nlohmann::json disputes_json(const std::vector<services::Dispute>& disputes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : disputes) out.push_back({{"uid", d.uid}, {"kind", d.kind}, {"summary", d.summary}});
  return out;
}

nlohmann::json bag_json(const services::BagDetail& b, bool with_history) {
  nlohmann::json j{{"code", b.code},
                   {"type", b.type},
                   {"kind", opt_json(b.kind)},
                   {"area", opt_json(b.area)},
                   {"created_at", util::format_iso8601(b.created_at)},
                   {"created_by", opt_json(b.created_by)},
                   {"bill", b.bill ? nlohmann::json{{"code", b.bill->code}, {"status", domain::to_string(b.bill->status)}}
                                   : nlohmann::json(nullptr)},
                   {"weight_kg", b.weight_kg}};
  if (b.type == "parent") {
    const auto count = static_cast<std::int64_t>(b.children.size());
    j["status"] = domain::to_string(domain::parent_status(count, b.capacity));
    j["child_count"] = count;
    j["capacity"] = b.capacity;
    j["expected_weight_kg"] = b.expected_weight_kg.value_or(0.0);
    j["parent"] = nullptr;
    nlohmann::json children = nlohmann::json::array();
    for (const auto& c : b.children) children.push_back(linked_json(c));
    j["children"] = std::move(children);
  } else {
    j["parent"] = b.parent ? linked_json(*b.parent) : nlohmann::json(nullptr);
    j["children"] = nlohmann::json::array();
  }
  if (with_history) {
    nlohmann::json history = nlohmann::json::array();
    for (const auto& e : b.history) history.push_back(history_json(e));
    j["history"] = std::move(history);
    j["disputes"] = disputes_json(b.disputes);
  }
  return j;
}

nlohmann::json bag_summary_json(const services::BagSummary& b) {
  nlohmann::json j{{"code", b.code},
                   {"type", b.type},
                   {"kind", opt_json(b.kind)},
                   {"area", opt_json(b.area)},
                   {"created_at", util::format_iso8601(b.created_at)},
                   {"parent", opt_json(b.parent)}};
  j["child_count"] = b.child_count ? nlohmann::json(*b.child_count) : nlohmann::json(nullptr);
  return j;
}

nlohmann::json bill_json(const services::Bill& b) {
  return nlohmann::json{{"code", b.code},
                        {"description", b.description},
                        {"destination", opt_json(b.destination)},
                        {"vehicle", opt_json(b.vehicle)},
                        {"capacity", b.capacity},
                        {"status", domain::to_string(b.status)},
                        {"area", opt_json(b.area)},
                        {"created_by", opt_json(b.created_by)},
                        {"created_at", util::format_iso8601(b.created_at)},
                        {"updated_at", util::format_iso8601(b.updated_at)},
                        {"completed_at", opt_time(b.completed_at)},
                        {"parent_count", b.figures.parent_count},
                        {"child_count", b.figures.child_count},
                        {"actual_weight_kg", b.figures.actual_weight_kg},
                        {"expected_weight_kg", b.figures.expected_weight_kg},
                        {"variance_kg", b.figures.variance_kg}};
}

nlohmann::json bill_detail_json(const services::BillDetail& d) {
  nlohmann::json j = bill_json(d.bill);
  nlohmann::json parents = nlohmann::json::array();
  for (const auto& p : d.parents) {
    parents.push_back({{"code", p.code},
                       {"kind", p.kind},
                       {"child_count", p.child_count},
                       {"weight_kg", p.weight_kg},
                       {"expected_weight_kg", p.expected_weight_kg},
                       {"added_at", util::format_iso8601(p.added_at)},
                       {"added_by", opt_json(p.added_by)}});
  }
  j["parents"] = std::move(parents);
  j["disputes"] = disputes_json(d.disputes);
  nlohmann::json returns = nlohmann::json::array();
  for (const auto& r : d.returns) {
    returns.push_back({{"ticket", r.ticket},
                       {"parent", r.parent},
                       {"child_count", r.child_count},
                       {"weight_kg", r.weight_kg},
                       {"at", opt_time(r.at)},
                       {"by", opt_json(r.by)}});
  }
  j["returns"] = std::move(returns);
  return j;
}

nlohmann::json link_change_json(const services::LinkChange& c) {
  return nlohmann::json{{"result", services::to_string(c.result)},
                        {"code", c.child},
                        {"parent", opt_json(c.parent)},
                        {"previous_parent", opt_json(c.previous_parent)},
                        {"child_count", c.child_count},
                        {"capacity", c.capacity}};
}

nlohmann::json stats_json(const services::Stats& s) {
  // scans_per_hour: the last 24 hours; scans_per_hour_48h: the last 48 (the dashboard's today and
  // yesterday, in the browser's time zone).
  nlohmann::json hours = nlohmann::json::array();
  nlohmann::json hours_48 = nlohmann::json::array();
  for (std::size_t i = 0; i < s.scans_per_hour.size(); ++i) {
    const auto& h = s.scans_per_hour[i];
    nlohmann::json one{{"hour", util::format_iso8601(h.hour_start)},
                       {"scans", h.scans},
                       {"linked", h.linked},
                       {"rejected", h.rejected}};
    if (i + 24 >= s.scans_per_hour.size()) hours.push_back(one);
    hours_48.push_back(std::move(one));
  }
  return nlohmann::json{
      {"computed_at", util::format_iso8601(s.computed_at)},
      {"totals",
       {{"parents", s.parents},
        {"children", s.children},
        {"linked_children", s.linked_children},
        {"bills_open", s.bills_open},
        {"bills_completed", s.bills_completed}}},
      {"scans_24h", {{"scans", s.scans_24h}, {"linked", s.linked_24h}, {"rejected", s.rejected_24h}}},
      {"scans_per_hour", std::move(hours)},
      {"scans_per_hour_48h", std::move(hours_48)},
      {"per_area", activity_json(s.per_area, "area")},
      {"per_user", activity_json(s.per_user, "user")}};
}


nlohmann::json user_json(const services::User& u) {
  return nlohmann::json{{"id", u.uid},
                        {"username", u.username},
                        {"email", opt_json(u.email)},
                        {"role", domain::to_string(u.role)},
                        {"area", opt_json(u.area)},
                        {"active", u.active},
                        {"created_at", util::format_iso8601(u.created_at)},
                        {"updated_at", util::format_iso8601(u.updated_at)},
                        {"password_changed_at", util::format_iso8601(u.password_changed_at)},
                        {"second_factor", u.second_factor_since.has_value()},
                        {"second_factor_since", opt_time(u.second_factor_since)}};
}

nlohmann::json area_json(const services::Area& a) {
  return nlohmann::json{{"id", a.uid}, {"name", a.name}, {"created_at", util::format_iso8601(a.created_at)}};
}

nlohmann::json token_json(const accounts::TokenInfo& t) {
  return nlohmann::json{{"id", t.uid},
                        {"name", t.name},
                        {"user", t.username},
                        {"created_by", opt_json(t.created_by)},
                        {"created_at", util::format_iso8601(t.created_at)},
                        {"last_used_at", opt_time(t.last_used_at)},
                        {"revoked_at", opt_time(t.revoked_at)},
                        {"active", !t.revoked_at.has_value()}};
}

nlohmann::json site_json(const services::Site& s) {
  return nlohmann::json{{"id", s.uid},
                        {"name", s.name},
                        {"areas", s.areas},
                        {"token", s.token_active ? "active" : "revoked"},
                        {"token_set_at", opt_time(s.token_set_at)},
                        {"created_by", opt_json(s.created_by)},
                        {"created_at", util::format_iso8601(s.created_at)},
                        {"last_push_at", opt_time(s.last_push_at)},
                        {"cursor", s.acked_seq},
                        {"lag", s.reported_seq - s.acked_seq},
                        {"open_conflicts", s.open_conflicts}};
}

nlohmann::json audit_json(const services::AuditRecord& r) {
  return nlohmann::json{{"id", r.uid},
                        {"at", util::format_iso8601(r.at)},
                        {"user", opt_json(r.username)},
                        {"action", r.action},
                        {"entity", r.entity},
                        {"key", opt_json(r.entity_key)},
                        {"before", stored_json(r.before_json)},
                        {"after", stored_json(r.after_json)},
                        {"client", opt_json(r.client)}};
}

nlohmann::json import_report_json(const services::ImportReport& r) {
  nlohmann::json j;
  j["mode"] = services::to_string(r.mode);
  j["applied"] = r.applied;
  j["rows"] = r.rows;
  j["changed"] = r.changed;
  j["unchanged"] = r.unchanged;
  j["rejected"] = r.rejected;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& x : r.rejections) {
    list.push_back({{"line", x.line}, {"parent", x.parent}, {"child", x.child}, {"bill", x.bill},
                    {"code", domain::to_string(x.code)}, {"message", x.message}});
  }
  j["rejections"] = std::move(list);
  j["created"] = {{"parents", r.parents_created}, {"children", r.children_created}, {"bills", r.bills_created}};
  j["links"] = r.links;
  j["bill_adds"] = r.bill_adds;
  if (!r.import_id.empty()) j["import"] = r.import_id;
  return j;
}

nlohmann::json return_ticket_json(const services::ReturnTicket& t) {
  return nlohmann::json{{"code", t.code},
                        {"note", t.note},
                        {"status", domain::to_string(t.status)},
                        {"area", opt_json(t.area)},
                        {"created_by", opt_json(t.created_by)},
                        {"created_at", util::format_iso8601(t.created_at)},
                        {"closed_by", opt_json(t.closed_by)},
                        {"closed_at", opt_time(t.closed_at)},
                        {"bag_count", t.bag_count}};
}

nlohmann::json return_json(const services::ReturnDetail& r) {
  nlohmann::json j = return_ticket_json(r.ticket);
  nlohmann::json bags = nlohmann::json::array();
  for (const auto& b : r.bags) {
    bags.push_back({{"code", b.code},
                    {"kind", b.kind},
                    {"bill", opt_json(b.bill)},
                    {"child_count", b.child_count},
                    {"weight_kg", b.weight_kg},
                    {"children", b.children},
                    {"added_at", util::format_iso8601(b.added_at)},
                    {"added_by", opt_json(b.added_by)}});
  }
  j["bags"] = std::move(bags);
  return j;
}

}  // namespace tt::api

#include "services/sync_disputes.hpp"

#include <nlohmann/json.hpp>

namespace tt::services {

namespace {

std::string text(const nlohmann::json& j, const char* key, const char* otherwise = "?") {
  if (j.is_object() && j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
  if (j.is_object() && j.contains(key) && j[key].is_number()) return j[key].dump();
  return otherwise;
}

// "at Kanpur depot by ravi on 2026-12-07 09:12 UTC"
std::string who(const nlohmann::json& d) {
  std::string out = "at " + text(d, "site", "a site");
  if (d.contains("user") && d["user"].is_string()) out += " by " + d["user"].get<std::string>();
  if (d.contains("at") && d["at"].is_string()) {
    // "2026-12-07T09:12:00.123456Z" as a person reads it: "2026-12-07 09:12 UTC".
    const std::string at = d["at"].get<std::string>();
    out += " on " + (at.size() >= 16 && at[10] == 'T' ? at.substr(0, 10) + " " + at.substr(11, 5) + " UTC" : at);
  }
  return out;
}

}  // namespace

std::string describe_conflict(const storage::ConflictRow& c) {
  const nlohmann::json d = nlohmann::json::parse(c.detail, nullptr, false);
  const std::string& k = c.kind;
  if (k == "child_in_two_parents") {
    const std::string kept = d.contains("kept") ? text(d["kept"], "parent", "no parent") : "no parent";
    const std::string contested = d.contains("contested") ? text(d["contested"], "parent") : "?";
    return c.entity_key + " was linked into " + contested + " " + who(d) + "; head office keeps it in " + kept + ".";
  }
  if (k == "parent_over_capacity") {
    return "Parent bag " + c.entity_key + " holds " + text(d, "children") + " children across sites, over its capacity of " +
           text(d, "capacity") + " (" + who(d) + ").";
  }
  if (k == "bag_type") {
    return c.entity_key + " is a " + (d.contains("site_bag") ? text(d["site_bag"], "type") : std::string("?")) + " bag " +
           who(d) + " but a " + (d.contains("held") ? text(d["held"], "type") : std::string("?")) + " bag at head office.";
  }
  if (k == "unknown_bag" || k == "unknown_bill") {
    return (k == "unknown_bag" ? "Bag " : "Bill ") + c.entity_key + " was used " + who(d) +
           " (" + text(d, "operation") + ") but head office does not hold it.";
  }
  if (k == "deleted_while_used") {
    return c.entity_key + " was deleted " + who(d) + " while head office or another site still uses it: not deleted here.";
  }
  if (k == "bill_code_taken") {
    return "Bill code " + c.entity_key + " was created " + who(d) + " but head office already has a bill of that code: stored as " +
           text(d, "stored_as") + ", to be renamed.";
  }
  if (k == "bill_edited_twice") {
    return "Bill " + c.entity_key + " was edited " + who(d) + " and at head office; the " +
           (text(d, "kept") == "site" ? std::string("site's") : std::string("head office's")) + " values are kept.";
  }
  if (k == "contested_bill_place") {
    std::string why = d.value("bill_completed", false) ? "the bill is completed at head office" : "it is on " + text(d, "held_on") + " at head office";
    return "Parent bag " + text(d, "parent") + " was put on bill " + c.entity_key + " " + who(d) + ", but " + why + ".";
  }
  if (k == "bill_over_capacity") {
    return "Bill " + c.entity_key + " holds " + text(d, "parents") + " parent bags across sites, over its capacity of " +
           text(d, "capacity") + " (" + who(d) + ").";
  }
  return c.kind + " on " + c.entity + " " + c.entity_key + " (" + who(d) + ").";
}

asio::awaitable<std::vector<Dispute>> open_disputes(storage::Tx& tx, std::string entity, std::string key) {
  storage::ConflictFilter f;
  f.status = "open";
  f.entity = std::move(entity);
  f.entity_key = std::move(key);
  f.limit = 20;
  std::vector<Dispute> out;
  for (const auto& c : co_await storage::sync_conflicts::list(tx, f)) out.push_back(Dispute{c.uid, c.kind, describe_conflict(c)});
  co_return out;
}

}  // namespace tt::services

// Head office applies a site's batch (SPEC §8 "Up"), on both backends. A batch's new bags go in
// with its first statement and the batch remembers what it read (services/sync_apply.cpp); these
// cases are the orders of operations where that could differ from applying them one by one: a bag
// created, deleted and created again; a child linked and then moved or taken out; a parent filled
// past its capacity within one batch and across two; a bag whose code head office holds already.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "accounts/credentials.hpp"
#include "domain_world.hpp"
#include "services/sites.hpp"
#include "services/sync_apply.hpp"
#include "util/ids.hpp"

using namespace tt;
using namespace tt::test;
using nlohmann::json;

namespace {

// A site of Lucknow pushing to head office: operations collected, then sent as one batch.
struct Pushing {
  World& w;
  services::PushingSite site;
  json ops = json::array();
  std::int64_t seq = 0;
  std::int64_t after = 0;

  explicit Pushing(World& world) : w(world) {
    const std::string name = "Lucknow depot";
    const std::vector<std::string> areas{"Lucknow"};
    const std::string hash = accounts::token_hash(accounts::new_site_token());
    const services::Site s = run_sync(w.db->write(storage::job(services::register_site, w.admin, name, areas, hash)));
    site = services::PushingSite{s.id, s.uid, s.name};
  }

  void op(const std::string& kind, json data) {
    data["area"] = "Lucknow";
    ops.push_back({{"seq", ++seq}, {"uid", util::uuid_v7()}, {"kind", kind}, {"at", 1700000000000000LL + seq},
                   {"user", "ravi"}, {"data", std::move(data)}});
  }
  static json bag(const std::string& code, const std::string& type) {
    return {{"uid", util::uuid_v7()}, {"code", code}, {"type", type}, {"kind", type == "parent" ? json("SB") : json(nullptr)}};
  }
  void parent(const std::string& code) { op("bag.create", {{"bag", bag(code, "parent")}}); }
  // A child scan: the new child and its link, as a depot writes it.
  void child(const std::string& parent, const std::string& code) {
    op("link.add", {{"link", util::uuid_v7()},
                    {"bag", bag(code, "child")},
                    {"audit", {{"action", "link"}, {"entity", "bag"}, {"key", code}, {"before", nullptr},
                               {"after", {{"parent", parent}, {"created", true}}}}}});
  }
  // A child scan as a depot of protocol 2 writes it: one operation, the scan event carrying its
  // link (with the new child) in data.effects.
  void scanned_child(const std::string& parent, const std::string& code) {
    const json link{{"uid", util::uuid_v7()}, {"kind", "link.add"}, {"at", 1700000000000000LL + seq + 1}, {"user", "ravi"},
                    {"data", {{"link", util::uuid_v7()},
                              {"bag", bag(code, "child")},
                              {"audit", {{"action", "link"}, {"entity", "bag"}, {"key", code}, {"before", nullptr},
                                         {"after", {{"parent", parent}, {"created", true}}}}}}}};
    op("scan", {{"action", "scan_child"}, {"code", code}, {"parent_code", parent}, {"result", "linked"},
                {"effects", json::array({link})}});
  }
  void move(const std::string& code, const std::string& from, const std::string& to) {
    op("link.move", {{"audit", {{"action", "relink"}, {"entity", "bag"}, {"key", code},
                                {"before", {{"parent", from}}}, {"after", {{"parent", to}}}}}});
  }
  void unlink(const std::string& code, const std::string& from) {
    op("link.remove", {{"audit", {{"action", "unlink"}, {"entity", "bag"}, {"key", code},
                                  {"before", {{"parent", from}}}, {"after", nullptr}}}});
  }
  void remove(const std::string& code) {
    op("bag.delete", {{"audit", {{"action", "bag_delete"}, {"entity", "bag"}, {"key", code}, {"before", nullptr},
                                 {"after", nullptr}}}});
  }

  // Sends what was collected as one batch; its answer.
  json push() {
    const json body{{"site", site.uid}, {"batch", util::uuid_v7()}, {"after", after}, {"ops", ops}};
    services::PushBatch batch = services::parse_push(body, site.uid);
    auto settings = w.settings;
    const services::PushOutcome out =
        run_sync(w.db->write(storage::job(services::apply_push, site, std::move(batch), settings), storage::write_alone()));
    after = seq;
    ops = json::array();
    return out.answer;
  }
};

std::string uid_of_bag(World& w, const std::string& code) {
  const storage::Rows rows = run_sync(w.db->read(
      storage::job(storage::query_rows, std::string("SELECT uid FROM bags WHERE code = $1"), storage::params(code))));
  return rows.empty() ? std::string() : rows[0].text(0);
}

std::vector<std::string> conflict_kinds(const json& answer) {
  std::vector<std::string> out;
  for (const auto& c : answer["conflicts"]) out.push_back(c["kind"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("sync apply: links made and then moved or taken out within one batch end where the site left them") {
  World w;
  Pushing s(w);
  s.parent("SB70001");
  s.parent("SB70002");
  for (int i = 0; i < 4; ++i) s.child("SB70001", "MOV" + std::to_string(i));
  s.move("MOV0", "SB70001", "SB70002");
  s.unlink("MOV1", "SB70001");
  s.child("SB70001", "MOV4");  // after the links were taken apart: counted afresh
  const json answer = s.push();
  CHECK(answer["applied"] == s.seq);
  CHECK(answer["conflicts"].empty());
  CHECK(w.parent_of("MOV0") == "SB70002");
  CHECK(w.parent_of("MOV1").empty());
  CHECK(w.parent_of("MOV2") == "SB70001");
  CHECK(w.parent_of("MOV4") == "SB70001");
  CHECK(w.links_of("SB70001") == 3);
  CHECK(w.links_of("SB70002") == 1);
  // Every link and bag carries the site; every operation's audit entry is there.
  CHECK(w.count("links WHERE site_id = $1", storage::params(s.site.id)) == 4);
  CHECK(w.count("bags WHERE site_id = $1", storage::params(s.site.id)) == 7);
  CHECK(w.count("sync_ops WHERE site_id = $1", storage::params(s.site.id)) == s.seq);
}

TEST_CASE("sync apply: a bag created, deleted and created again in one batch is the second one") {
  World w;
  Pushing s(w);
  s.parent("SB71001");
  s.child("SB71001", "AGAIN");
  s.unlink("AGAIN", "SB71001");
  s.remove("AGAIN");
  s.child("SB71001", "AGAIN");
  const std::string second_uid = s.ops.back()["data"]["bag"]["uid"].get<std::string>();
  const json answer = s.push();
  CHECK(answer["conflicts"].empty());
  CHECK(w.count("bags WHERE code = 'AGAIN'") == 1);
  CHECK(uid_of_bag(w, "AGAIN") == second_uid);
  CHECK(w.parent_of("AGAIN") == "SB71001");
}

TEST_CASE("sync apply: a parent filled past capacity within a batch and across two is flagged once, nothing refused") {
  World w;
  domain::Settings small;
  small.parent_capacity = 3;
  w.use_settings(small);
  Pushing s(w);
  s.parent("SB72001");
  for (int i = 0; i < 2; ++i) s.child("SB72001", "CAP" + std::to_string(i));
  CHECK(s.push()["conflicts"].empty());
  for (int i = 2; i < 5; ++i) s.child("SB72001", "CAP" + std::to_string(i));
  const json answer = s.push();
  CHECK(conflict_kinds(answer) == std::vector<std::string>{"parent_over_capacity"});
  CHECK(answer["conflicts"][0]["key"] == "SB72001");
  CHECK(w.links_of("SB72001") == 5);
  CHECK(w.count("sync_conflicts WHERE kind = 'parent_over_capacity' AND status = 'open'") == 1);
}

TEST_CASE("sync apply: a child head office holds in another parent stays there; the site's link is a conflict") {
  World w;
  w.parent(w.dispatcher, "SB73001");
  REQUIRE(w.child(w.dispatcher, "SB73001", "HELD").result == domain::ScanResult::linked);
  Pushing s(w);
  s.parent("SB73002");
  s.child("SB73002", "HELD");  // the same code: head office's bag, seen again at the site
  s.child("SB73002", "FRESH");
  const json answer = s.push();
  CHECK(conflict_kinds(answer) == std::vector<std::string>{"child_in_two_parents"});
  CHECK(w.parent_of("HELD") == "SB73001");
  CHECK(w.parent_of("FRESH") == "SB73002");
  CHECK(w.count("bags WHERE code = 'HELD'") == 1);
}

TEST_CASE("sync apply: a scan carrying its link applies the scan event, the new child, the link and its audit entry") {
  World w;
  Pushing s(w);
  s.parent("SB74001");
  for (int i = 0; i < 3; ++i) s.scanned_child("SB74001", "EFF" + std::to_string(i));
  s.child("SB74001", "EFF3");  // protocol 1's separate operation, in the same batch
  const json answer = s.push();
  CHECK(answer["applied"] == 5);
  CHECK(answer["conflicts"].empty());
  CHECK(w.links_of("SB74001") == 4);
  CHECK(w.count("scan_events WHERE code LIKE 'EFF%' AND site_id = $1", storage::params(s.site.id)) == 3);
  CHECK(w.count("bags WHERE code LIKE 'EFF%' AND area_id = $1", storage::params(w.lucknow)) == 4);
  CHECK(w.count("audit_log WHERE action = 'link' AND entity_key LIKE 'EFF%' AND site_id = $1", storage::params(s.site.id)) == 4);
  // One applied operation per scan: its effects travel under its seq.
  CHECK(w.count("sync_ops WHERE site_id = $1", storage::params(s.site.id)) == 5);
  // An effect of a kind head office does not know refuses the batch, as any operation would.
  s.scanned_child("SB74001", "EFF9");
  s.ops.back()["data"]["effects"][0]["kind"] = "link.teleport";
  CHECK(error_code([&] { s.push(); }) == "sync_unsupported");
  CHECK(w.count("bags WHERE code = 'EFF9'") == 0);
}

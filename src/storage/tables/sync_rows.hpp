// Head office's synchronisation tables (SPEC §8 "Up"): the per-site cursor, the answers to batches,
// the applied operations, the conflicts, and the rows a site's operations write (each with its
// uid from the depot and the site it came from). Used by services/sync_apply in the one
// transaction that applies a batch.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/tables/audit_log.hpp"
#include "storage/tables/scan_events.hpp"

namespace tt::storage {

// A row a site's operation creates, by the depot's uid.
struct SiteBag {
  std::string uid;
  std::string code;
  std::string type;                  // parent | child
  std::optional<std::string> kind;  // parents only
  std::optional<std::int64_t> area_id;
  std::int64_t site_id = 0;
  std::int64_t at = 0;
};

struct SiteBill {
  std::string uid;
  std::string code;
  std::string description;
  std::optional<std::string> destination;
  std::optional<std::string> vehicle;
  std::int64_t capacity = 1;
  std::string status = "open";
  std::optional<std::int64_t> area_id;
  std::int64_t site_id = 0;
  std::int64_t at = 0;
};

struct NewConflict {
  std::string uid;
  std::string kind;        // child_in_two_parents, parent_over_capacity, ...
  std::string entity;      // bag | bill
  std::string entity_key;  // its code
  std::int64_t site_id = 0;
  std::string op_uid;
  std::string detail;      // JSON: both sides
  std::int64_t at = 0;
};

struct ConflictRow {
  std::string uid;
  std::string kind;
  std::string entity;
  std::string entity_key;
  std::optional<std::string> site;  // the site's name
  std::string op_uid;
  std::string detail;
  std::string status;
  std::int64_t created_at = 0;
  std::optional<std::string> resolution;  // domain/conflict_resolutions.hpp, once resolved
  std::optional<std::int64_t> resolved_at;
  std::optional<std::string> resolved_by;  // the person's user name
  std::optional<std::int64_t> site_id;     // none at a depot (its own) or for head office's own
};

// A conflict as head office sends it to a depot (SPEC §8 "Down"): its own, stored with no site.
struct ReceivedConflict {
  std::string uid;
  std::string kind;
  std::string entity;
  std::string entity_key;
  std::string op_uid;
  std::string detail;
  std::string status;
  std::int64_t created_at = 0;
  std::optional<std::string> resolution;
  std::optional<std::int64_t> resolved_at;
  std::optional<std::string> resolved_by;
};

struct ConflictFilter {
  std::optional<std::string> status;  // open | resolved | dismissed
  std::optional<std::int64_t> site_id;
  std::optional<std::string> kind;
  std::optional<std::string> entity;
  std::optional<std::string> entity_key;
  std::optional<std::int64_t> created_before;  // microseconds since the epoch: older ones only
  std::int64_t limit = 200;
};

namespace sync_cursor {

// The site's row locked until the transaction ends (one site's batches apply one at a time across
// every head-office instance on the database; other sites' run beside them); its acked_seq.
asio::awaitable<std::int64_t> lock(Tx& tx, std::int64_t site_id);
// `reported_seq`: the newest operation the site had written when it pushed (its lag).
asio::awaitable<void> advance(Tx& tx, std::int64_t site_id, std::int64_t acked_seq, std::int64_t reported_seq,
                              std::int64_t at);

}  // namespace sync_cursor

namespace sync_batches {

asio::awaitable<std::optional<std::string>> answer(Tx& tx, std::int64_t site_id, const std::string& batch_uid);
asio::awaitable<void> store(Tx& tx, std::int64_t site_id, const std::string& batch_uid, const std::string& answer,
                            std::int64_t at);

}  // namespace sync_batches

namespace sync_ops {

// The uids of the site's applied operations of sequence [from, to].
asio::awaitable<std::map<std::int64_t, std::string>> uids(Tx& tx, std::int64_t site_id, std::int64_t from,
                                                          std::int64_t to);
asio::awaitable<void> insert(Tx& tx, std::int64_t site_id, std::int64_t seq, const std::string& uid);

}  // namespace sync_ops

namespace sync_conflicts {

// Whether an open conflict of this kind names the entity already (a flag is raised once).
asio::awaitable<bool> open_exists(Tx& tx, const std::string& kind, const std::string& entity, const std::string& key);
asio::awaitable<void> insert(Tx& tx, const NewConflict& c);
// Newest first.
asio::awaitable<std::vector<ConflictRow>> list(Tx& tx, const ConflictFilter& f);
asio::awaitable<std::int64_t> count_open(Tx& tx);
// The conflict with that uid, its row locked until the transaction ends.
asio::awaitable<std::optional<ConflictRow>> lock(Tx& tx, const std::string& uid);
// The conflict with that uid, read only.
asio::awaitable<std::optional<ConflictRow>> by_uid(Tx& tx, const std::string& uid);
asio::awaitable<void> resolve(Tx& tx, const std::string& uid, const std::string& resolution, const std::string& by,
                              std::int64_t at);
// A depot: stores head office's conflict, or its new state (resolved).
asio::awaitable<void> put_received(Tx& tx, const ReceivedConflict& c);

}  // namespace sync_conflicts

namespace site_rows {

// Inserts unless a bag of that code (or uid) exists: the new id, or none.
asio::awaitable<std::optional<std::int64_t>> insert_bag(Tx& tx, const SiteBag& bag);
// The same for many bags, a few hundred per statement: the ids of those inserted, by code. Bags
// whose code or uid is held are skipped; so is a second bag of one code in `bags`.
asio::awaitable<std::map<std::string, std::int64_t>> insert_bags(Tx& tx, const std::vector<SiteBag>& bags);
// Inserts unless the child is linked (or the uid is taken): whether it was.
asio::awaitable<bool> insert_link(Tx& tx, const std::string& uid, std::int64_t parent_id, std::int64_t child_id,
                                  std::int64_t site_id, std::int64_t at);
// Links a child this transaction inserted (so in no parent, and invisible to every other
// transaction): sent with the next statement instead of a round trip of its own. No ON CONFLICT:
// a link that cannot be inserted here is a broken assumption, and fails the batch.
asio::awaitable<void> insert_new_link(Tx& tx, const std::string& uid, std::int64_t parent_id, std::int64_t child_id,
                                      std::int64_t site_id, std::int64_t at);
// Inserts unless a bill of that code (or uid) exists: whether it was.
asio::awaitable<bool> insert_bill(Tx& tx, const SiteBill& bill);
// Puts a parent on a bill unless it is on one (or the uid is taken): whether it was.
asio::awaitable<bool> attach_parent(Tx& tx, const std::string& uid, std::int64_t bill_id, std::int64_t parent_id,
                                    std::int64_t site_id, std::int64_t at);
// The code, at head office, of the bill a site's operation names by `code`: its own bill renamed
// `renamed` when the code was taken when it arrived (SPEC §8 rule C5), else `code` when held.
asio::awaitable<std::optional<std::string>> bill_code_for_site(Tx& tx, const std::string& code,
                                                               const std::string& renamed, std::int64_t site_id);
// The site a bag or bill came from (none: made at head office).
asio::awaitable<std::optional<std::int64_t>> bill_site(Tx& tx, std::int64_t bill_id);
// Children linked into the parent by others than the site, and whether it is on a bill of
// another origin: what a deletion at the site would take from someone else (rule C6).
asio::awaitable<std::int64_t> others_use(Tx& tx, std::int64_t bag_id, std::int64_t site_id);
// A site's scan event and audit entry, with the depot's uids; the user by name (the row's user_id
// stays empty: the depot's users are not head office's).
asio::awaitable<void> append_scan(Tx& tx, ScanEventRow scan, std::optional<std::string> username, std::int64_t site_id);
asio::awaitable<void> append_audit(Tx& tx, NewAuditRow entry, std::int64_t site_id);

}  // namespace site_rows
}  // namespace tt::storage

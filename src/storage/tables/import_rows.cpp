#include "storage/tables/import_rows.hpp"


namespace tt::storage::import_rows {

BulkInsert bags() {
  return BulkInsert("INSERT INTO bags (uid, code, type, kind, area_id, created_by, created_at)", 7,
                    " ON CONFLICT (code) DO NOTHING RETURNING id, code");
}

void add_bag(BulkInsert& batch, const std::string& uid, const std::string& code, bool is_parent, std::optional<std::string> kind,
             std::optional<std::int64_t> area_id, std::optional<std::int64_t> user, std::int64_t at) {
  batch.add(uid, code, is_parent ? "parent" : "child", std::move(kind), area_id, user, at);
}

BulkInsert bills() {
  return BulkInsert("INSERT INTO bills (uid, code, description, destination, vehicle, capacity, status, area_id,"
                    " created_by, created_at, updated_at)", 11, " ON CONFLICT (code) DO NOTHING RETURNING id, code");
}

void add_bill(BulkInsert& batch, const std::string& uid, const std::string& code, const domain::ImportBill& b,
              std::optional<std::int64_t> user, std::int64_t at) {
  batch.add(uid, code, b.description, b.destination, b.vehicle, b.capacity, "open", b.area_id, user, at,
            at);
}

BulkInsert links() {
  return BulkInsert("INSERT INTO links (uid, parent_id, child_id, created_by, created_at)", 5,
                    " ON CONFLICT (child_id) DO NOTHING RETURNING id, uid");
}

void add_link(BulkInsert& batch, const std::string& uid, std::int64_t parent_id, std::int64_t child_id, std::optional<std::int64_t> user,
              std::int64_t at) {
  batch.add(uid, parent_id, child_id, user, at);
}

BulkInsert bill_places() {
  return BulkInsert("INSERT INTO bill_parents (uid, bill_id, parent_id, added_by, added_at)", 5,
                    " ON CONFLICT (parent_id) DO NOTHING RETURNING id, uid");
}

void add_bill_place(BulkInsert& batch, const std::string& uid, std::int64_t bill_id, std::int64_t parent_id, std::optional<std::int64_t> user,
                    std::int64_t at) {
  batch.add(uid, bill_id, parent_id, user, at);
}

BulkInsert scan_log() {
  return BulkInsert("INSERT INTO scan_events (uid, at, user_id, area_id, client, action, code, parent_code, bill_code,"
                    " result, reason)", 11, " RETURNING id, uid");
}

void add_scan(BulkInsert& batch, const std::string& uid, std::int64_t at, std::optional<std::int64_t> user, const domain::ImportApplied& a,
              const std::optional<std::string>& client) {
  const std::optional<std::string> no_reason;
  batch.add(uid, at, user, a.area_id, client, "import", a.code, a.parent, a.bill,
            a.linked ? "linked" : "created", no_reason);
}

}  // namespace tt::storage::import_rows

// Bills (SPEC §3.4): codes, capacity, life cycle, filling and figures.
#include <doctest/doctest.h>

#include <string>

#include "api/error_status.hpp"
#include "domain/bill_rules.hpp"

using namespace tt::domain;

TEST_CASE("bill code: 3 to 50 characters, normalised like bag codes") {
  CHECK(normalise_bill_code(" lko-2025-11-25 ").code == "LKO-2025-11-25");
  CHECK(normalise_bill_code("ABC").ok());
  CHECK(normalise_bill_code(std::string(50, 'b')).ok());
  CHECK(normalise_bill_code("AB").error == "The bill code is too short: at least 3 characters.");
  CHECK(normalise_bill_code(std::string(51, 'b')).error ==
        "The bill code is too long: at most 50 characters, this one has 51.");
  CHECK_FALSE(normalise_bill_code("LKO 1").ok());
  CHECK_FALSE(normalise_bill_code("").ok());
}

TEST_CASE("bill capacity: 1 to 100 parents") {
  CHECK(validate_bill_capacity(0));
  CHECK_FALSE(validate_bill_capacity(1));
  CHECK_FALSE(validate_bill_capacity(100));
  CHECK(validate_bill_capacity(101));
  CHECK(validate_bill_capacity(-5));
}

TEST_CASE("bill text fields") {
  CHECK_FALSE(validate_bill_text("destination", "Kanpur depot", kBillDestinationMax));
  CHECK_FALSE(validate_bill_text("destination", "\xe0\xa4\x95\xe0\xa4\xbe", kBillDestinationMax));  // UTF-8 text
  CHECK(validate_bill_text("destination", std::string(101, 'x'), kBillDestinationMax));
  CHECK(*validate_bill_text("vehicle", "UP32\n", kBillVehicleMax) == "The vehicle contains a control character.");
}

TEST_CASE("bill life cycle: open -> completed, reopened by an admin") {
  CHECK(check_complete(BillStatus::open) == BillRejection::none);
  CHECK(check_complete(BillStatus::completed) == BillRejection::bill_completed);
  CHECK(check_reopen(BillStatus::completed) == BillRejection::none);
  CHECK(check_reopen(BillStatus::open) == BillRejection::bill_not_completed);
  CHECK(check_remove_parent(BillStatus::completed) == BillRejection::bill_completed);
  CHECK(check_remove_parent(BillStatus::open) == BillRejection::none);
  CHECK(check_edit(BillStatus::completed, std::nullopt, 0) == BillRejection::bill_completed);
  CHECK(check_edit(BillStatus::open, 3, 3) == BillRejection::none);
  CHECK(check_edit(BillStatus::open, 2, 3) == BillRejection::capacity_too_small);
  CHECK(parse_bill_status("completed") == BillStatus::completed);
  CHECK_FALSE(parse_bill_status("closed"));
  CHECK(to_string(error_of(BillRejection::on_another_bill)) == "on_another_bill");
  CHECK(tt::api::http_status(error_of(BillRejection::bill_full)) == 409);
}

TEST_CASE("bill fill: rules in order") {
  BillAddState s;
  s.bill_id = 7;
  s.capacity = 2;
  CHECK(decide_bill_add(s).result == BillAddResult::added);
  s.parent_count = 1;
  CHECK(decide_bill_add(s).result == BillAddResult::added);
  s.parent_count = 2;
  CHECK(decide_bill_add(s).reason == BillRejection::bill_full);
  s.parent_on_bill = 8;
  CHECK(decide_bill_add(s).reason == BillRejection::on_another_bill);
  s.parent_on_bill = 7;
  CHECK(decide_bill_add(s).result == BillAddResult::already_on_bill);
  s.status = BillStatus::completed;
  CHECK(decide_bill_add(s).result == BillAddResult::already_on_bill);
  s.parent_on_bill.reset();
  s.parent_count = 0;
  CHECK(decide_bill_add(s).reason == BillRejection::bill_completed);
}

TEST_CASE("bill figures: derived from the parents' children and kinds") {
  Settings settings;
  auto f = bill_figures({{"SB", 30}, {"M444", 12}, {"SB", 0}}, settings);
  CHECK(f.parent_count == 3);
  CHECK(f.child_count == 42);
  CHECK(f.actual_weight_kg == 42.0);
  CHECK(f.expected_weight_kg == 75.0);
  CHECK(f.variance_kg == -33.0);

  auto empty = bill_figures({}, settings);
  CHECK(empty.parent_count == 0);
  CHECK(empty.variance_kg == 0.0);

  settings.child_weight_kg = 0.5;
  auto half = bill_figures({{"SB", 30}}, settings);
  CHECK(half.actual_weight_kg == 15.0);
  CHECK(half.variance_kg == -15.0);
}

TEST_CASE("bill rules: a parent bag moves to another area alone, and only off any bill") {
  CHECK_FALSE(check_area_transfer("SB1", true, std::nullopt).has_value());
  auto child = check_area_transfer("C-1", false, std::nullopt);
  REQUIRE(child.has_value());
  CHECK(child->code == Error::not_a_parent);
  CHECK(std::string(child->what()).find("moves with its parent") != std::string::npos);
  auto on_bill = check_area_transfer("SB1", true, std::string("BILL-7"));
  REQUIRE(on_bill.has_value());
  CHECK(on_bill->code == Error::conflict);
  CHECK(std::string(on_bill->what()).find("BILL-7") != std::string::npos);
}

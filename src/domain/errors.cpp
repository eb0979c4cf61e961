#include "domain/errors.hpp"

namespace tt::domain {

std::string_view to_string(Error e) noexcept {
  switch (e) {
    case Error::bad_request: return "bad_request";
    case Error::invalid_json: return "invalid_json";
    case Error::invalid_request: return "invalid_request";
    case Error::invalid_file: return "invalid_file";
    case Error::payload_too_large: return "payload_too_large";
    case Error::headers_too_large: return "headers_too_large";
    case Error::method_not_allowed: return "method_not_allowed";
    case Error::unauthenticated: return "unauthenticated";
    case Error::invalid_credentials: return "invalid_credentials";
    case Error::forbidden: return "forbidden";
    case Error::csrf_failed: return "csrf_failed";
    case Error::too_many_attempts: return "too_many_attempts";
    case Error::not_found: return "not_found";
    case Error::user_not_found: return "user_not_found";
    case Error::token_not_found: return "token_not_found";
    case Error::nothing_to_undo: return "nothing_to_undo";
    case Error::not_on_bill: return "not_on_bill";
    case Error::invalid_code: return "invalid_code";
    case Error::not_a_parent: return "not_a_parent";
    case Error::not_a_child: return "not_a_child";
    case Error::invalid_password: return "invalid_password";
    case Error::wrong_password: return "wrong_password";
    case Error::invalid_field: return "invalid_field";
    case Error::invalid_capacity: return "invalid_capacity";
    case Error::invalid_area_name: return "invalid_area_name";
    case Error::invalid_token_name: return "invalid_token_name";
    case Error::invalid_setting: return "invalid_setting";
    case Error::user_inactive: return "user_inactive";
    case Error::invalid_role: return "invalid_role";
    case Error::invalid_email: return "invalid_email";
    case Error::invalid_username: return "invalid_username";
    case Error::unknown_area: return "unknown_area";
    case Error::area_required: return "area_required";
    case Error::challenge_expired: return "challenge_expired";
    case Error::second_factor_required: return "second_factor_required";
    case Error::second_factor_enabled: return "second_factor_enabled";
    case Error::second_factor_not_enabled: return "second_factor_not_enabled";
    case Error::wrong_one_time_code: return "wrong_one_time_code";
    case Error::conflict: return "conflict";
    case Error::rows_rejected: return "rows_rejected";
    case Error::return_exists: return "return_exists";
    case Error::ticket_closed: return "ticket_closed";
    case Error::on_another_ticket: return "on_another_ticket";
    case Error::already_returned: return "already_returned";
    case Error::sync_gap: return "sync_gap";
    case Error::sync_divergent_op: return "sync_divergent_op";
    case Error::sync_unsupported: return "sync_unsupported";
    case Error::not_on_ticket: return "not_on_ticket";
    case Error::linked_elsewhere: return "linked_elsewhere";
    case Error::parent_full: return "parent_full";
    case Error::bill_completed: return "bill_completed";
    case Error::bill_not_completed: return "bill_not_completed";
    case Error::on_another_bill: return "on_another_bill";
    case Error::bill_full: return "bill_full";
    case Error::capacity_too_small: return "capacity_too_small";
    case Error::not_linked: return "not_linked";
    case Error::username_taken: return "username_taken";
    case Error::area_exists: return "area_exists";
    case Error::bill_exists: return "bill_exists";
    case Error::last_admin: return "last_admin";
    case Error::password_changed: return "password_changed";
    case Error::busy: return "busy";
    case Error::unavailable: return "unavailable";
    case Error::timeout: return "timeout";
    case Error::internal: return "internal";
  }
  return "internal";
}

}  // namespace tt::domain

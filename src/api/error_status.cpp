#include "api/error_status.hpp"
#include "domain/errors.hpp"

namespace tt::api {

int http_status(domain::Error e) noexcept {
  using E = domain::Error;
  switch (e) {
    case E::bad_request:
    case E::invalid_json:
    case E::invalid_request:
    case E::invalid_file: return 400;
    case E::unauthenticated:
    case E::invalid_credentials:
    case E::challenge_expired: return 401;
    case E::forbidden:
    case E::csrf_failed:
    case E::second_factor_required: return 403;
    case E::not_found:
    case E::user_not_found:
    case E::token_not_found:
    case E::nothing_to_undo:
    case E::not_on_bill:
    case E::not_on_ticket: return 404;
    case E::method_not_allowed: return 405;
    case E::conflict:
    case E::linked_elsewhere:
    case E::parent_full:
    case E::bill_completed:
    case E::bill_not_completed:
    case E::on_another_bill:
    case E::bill_full:
    case E::capacity_too_small:
    case E::not_linked:
    case E::username_taken:
    case E::area_exists:
    case E::bill_exists:
    case E::last_admin:
    case E::password_changed:
    case E::return_exists:
    case E::ticket_closed:
    case E::on_another_ticket:
    case E::already_returned:
    case E::second_factor_enabled:
    case E::second_factor_not_enabled: return 409;
    case E::payload_too_large: return 413;
    case E::sync_gap:
    case E::sync_divergent_op: return 409;
    case E::sync_unsupported: return 422;
    case E::invalid_code:
    case E::not_a_parent:
    case E::not_a_child:
    case E::invalid_password:
    case E::wrong_password:
    case E::wrong_one_time_code:
    case E::invalid_field:
    case E::invalid_capacity:
    case E::invalid_area_name:
    case E::invalid_token_name:
    case E::invalid_setting:
    case E::user_inactive:
    case E::invalid_role:
    case E::invalid_email:
    case E::invalid_username:
    case E::unknown_area:
    case E::area_required:
    case E::rows_rejected: return 422;
    case E::too_many_attempts: return 429;
    case E::headers_too_large: return 431;
    case E::internal: return 500;
    case E::busy:
    case E::unavailable:
    case E::timeout: return 503;
  }
  return 500;
}

}  // namespace tt::api

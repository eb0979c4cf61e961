// Every error code of the API (SPEC §4), and the exception that carries one below HTTP.
//
// Rules, services and authentication say what went wrong with one of these codes and a message for
// a person; they know nothing of HTTP. The status each code is answered with is chosen in one place,
// api/error_status.cpp, which the request pipeline uses. Adding an error is one line here, one in
// to_string and one in that table.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tt::domain {

enum class Error {
  // The request itself.
  bad_request,          // not valid HTTP, or a target that is not a path
  invalid_json,         // the body is not a JSON object
  invalid_request,      // a field or parameter missing, unknown or of the wrong type
  invalid_file,         // an uploaded file that cannot be read as what it should be (import CSV)
  payload_too_large,
  headers_too_large,
  method_not_allowed,
  // Who is calling.
  unauthenticated,
  invalid_credentials,
  challenge_expired,    // the pending sign-in between password and one-time code is over
  forbidden,
  csrf_failed,
  second_factor_required,  // the role requires a second factor the user has not set up yet
  too_many_attempts,    // failed sign-ins locked the user name or the address for a while
  // What is not there (or not visible to the caller).
  not_found,
  user_not_found,
  token_not_found,
  nothing_to_undo,
  not_on_bill,
  not_on_ticket,
  // Values that break a rule.
  invalid_code,
  not_a_parent,
  not_a_child,
  invalid_password,
  wrong_password,
  wrong_one_time_code,  // enrolment: the code does not match the secret shown
  invalid_field,
  invalid_capacity,
  invalid_area_name,
  invalid_token_name,
  invalid_setting,
  user_inactive,
  invalid_role,
  invalid_email,
  invalid_username,
  unknown_area,
  area_required,
  // The state refuses the change.
  conflict,
  linked_elsewhere,
  parent_full,
  bill_completed,
  bill_not_completed,
  on_another_bill,
  bill_full,
  capacity_too_small,
  not_linked,
  username_taken,
  area_exists,
  bill_exists,
  last_admin,
  password_changed,
  rows_rejected,        // an all-or-nothing import with refused rows: nothing was applied
  return_exists,
  ticket_closed,        // a committed or cancelled return ticket changes no more
  on_another_ticket,
  already_returned,
  second_factor_enabled,
  second_factor_not_enabled,
  // Synchronisation (SPEC §8): a pushed batch that does not follow what head office applied.
  sync_gap,            // the first new operation is not the one after the cursor: send from expected_seq
  sync_divergent_op,   // an operation already applied arrives with another uid: not the same depot database
  sync_unsupported,    // an operation kind or protocol version this build does not know
  // The server.
  busy,                 // too much work queued (password hashing): try again in a moment
  unavailable,          // the database cannot take the request now
  timeout,
  internal,
};

// The code as the API spells it: "parent_full".
std::string_view to_string(Error e) noexcept;

// A request refused for a reason the caller can act on (SPEC §4): the code, a message for a person,
// and for codes that pass, when to try again.
struct Failure : std::runtime_error {
  Failure(Error code, const std::string& message, std::optional<int> retry_after_seconds = std::nullopt)
      : std::runtime_error(message), code(code), retry_after_seconds(retry_after_seconds) {}
  Error code;
  std::optional<int> retry_after_seconds;
};

}  // namespace tt::domain

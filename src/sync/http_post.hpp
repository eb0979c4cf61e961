// The depot's requests to head office (SPEC §8): HTTPS or loopback HTTP through libcurl, blocking,
// so called only from the pusher's own thread (never from the server's io_context threads).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace tt::sync {

struct HttpAnswer {
  long status = 0;                 // 0: no answer (the network, a timeout): `error` says what
  std::string body;
  std::optional<int> retry_after;  // seconds, from Retry-After
  std::string error;
};

// GET when `body` is empty, else POST of JSON. `token` goes in Authorization: Bearer.
HttpAnswer http_request(const std::string& url, const std::string& token, const std::string& body,
                        std::chrono::seconds timeout);

// Whether `url` may carry a sync token: https, or http to a loopback address (SPEC §8). Empty when
// it may; otherwise why not, in words.
std::string upstream_refusal(const std::string& url);

}  // namespace tt::sync

#include "sync/http_post.hpp"

#include "domain/sync_ops.hpp"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <string>

namespace tt::sync {

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::size_t header_line(char* data, std::size_t size, std::size_t count, void* out) {
  std::string line(data, size * count);
  constexpr std::string_view name = "retry-after:";
  if (line.size() > name.size()) {
    std::string head = line.substr(0, name.size());
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head == name) {
      try {
        *static_cast<std::optional<int>*>(out) = std::stoi(line.substr(name.size()));
      } catch (...) {
        // An HTTP date instead of seconds: the pusher's own backoff applies.
      }
    }
  }
  return size * count;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

HttpAnswer http_request(const std::string& url, const std::string& token, const std::string& body,
                        std::chrono::seconds timeout) {
  global_init();
  HttpAnswer out;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    out.error = "cannot start an HTTP request";
    return out;
  }
  CURL* c = curl.get();
  curl_slist* headers = nullptr;
  const std::string auth = "Authorization: Bearer " + token;
  headers = curl_slist_append(headers, auth.c_str());
  const std::string protocol = "TraceTrack-Sync: " + std::to_string(domain::kSyncProtocol);
  headers = curl_slist_append(headers, protocol.c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  if (!body.empty()) headers = curl_slist_append(headers, "Content-Type: application/json");
  // No "Expect: 100-continue": curl would wait up to a second for an interim answer before each
  // batch's body.
  headers = curl_slist_append(headers, "Expect:");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, curl_slist_free_all);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_line);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &out.retry_after);
  if (!body.empty()) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    out.error = curl_easy_strerror(rc);
    out.body.clear();
    return out;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  return out;
}

std::string upstream_refusal(const std::string& url) {
  if (url.rfind("https://", 0) == 0) return {};
  if (url.rfind("http://", 0) != 0) return "--upstream must be an https:// URL (" + url + ").";
  std::string host = url.substr(7);
  host = host.substr(0, host.find_first_of("/"));
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') - 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0) return {};
  return "--upstream must be https:// except on a loopback address: a site's token would cross the network in clear (" +
         url + ").";
}

}  // namespace tt::sync

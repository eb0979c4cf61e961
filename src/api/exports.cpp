// CSV exports (SPEC §3.7):
//   GET /api/v1/export/bags.csv    ?from&to&area&type&bill&raw   (every role; dispatchers: own area)
//   GET /api/v1/export/bills.csv   ?from&to&area&status&raw
//   GET /api/v1/export/scans.csv   ?from&to&area&raw
//   GET /api/v1/export/links.csv   ?area&raw                     (the importer's file)
//   GET /api/v1/export/audit.csv   ?from&to&raw                  (admin)
// Each also takes site=ID (head office, SPEC §8): the rows that came from that site.
// The file streams with chunked transfer as services::export_csv reads it: a bounded channel
// carries its pieces from the read transaction to the connection, so a reader that stops reading
// stops the export (after the write timeout at most) and frees the database connection.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <memory>
#include <string>

#include "api/deps.hpp"
#include "api/routes.hpp"
#include "domain/errors.hpp"
#include "domain/role.hpp"
#include "services/exports.hpp"
#include "util/log.hpp"
#include "util/time.hpp"

namespace tt::api {

namespace {

namespace asio = boost::asio;
using http::Access;
using http::RequestContext;
using http::Response;
using Channel = asio::experimental::concurrent_channel<void(boost::system::error_code, std::string)>;

// Pieces (about 64 KB each) in flight between the transaction and the connection.
constexpr std::size_t kPiecesInFlight = 8;
// Exports streaming at once per server. Each holds a database reader (SQLite has two or more) or a
// pooled connection for as long as its client reads, so one at a time leaves the rest to scanning
// and the office pages; another export gets 503 busy and tries again.
constexpr unsigned kExportsAtOnce = 1;
constexpr const char* kFilters[] = {"from", "to", "area", "type", "status", "bill", "site", "raw"};

// Hands the export's pieces to the channel. The send keeps the sending thread's context running
// while it waits (a SQLite reader thread runs its transaction's coroutine on a context of its own).
class ChannelSink final : public services::ExportSink {
 public:
  explicit ChannelSink(std::shared_ptr<Channel> channel) : channel_(std::move(channel)) {}

 protected:
  asio::awaitable<bool> deliver(std::string chunk) override {
    const asio::any_io_executor here = co_await asio::this_coro::executor;
    const auto busy = asio::prefer(here, asio::execution::outstanding_work.tracked);
    const boost::system::error_code ok;
    auto [ec] = co_await channel_->async_send(ok, std::move(chunk), asio::as_tuple(asio::use_awaitable));
    (void)busy;
    co_return !ec;
  }

 private:
  std::shared_ptr<Channel> channel_;
};

// One of the kExportsAtOnce places, taken by the request and given back when the last holder
// (the response's body, the producer) lets it go.
class ExportSlot {
 public:
  static std::shared_ptr<ExportSlot> take(Deps& d) {
    if (d.exports_streaming.fetch_add(1) >= kExportsAtOnce) {
      --d.exports_streaming;
      return nullptr;
    }
    return std::shared_ptr<ExportSlot>(new ExportSlot(d));
  }
  ~ExportSlot() { --d_.exports_streaming; }
  ExportSlot(const ExportSlot&) = delete;
  ExportSlot& operator=(const ExportSlot&) = delete;

 private:
  explicit ExportSlot(Deps& d) : d_(d) {}
  Deps& d_;
};

struct Export {
  services::Caller caller;
  services::ExportKind kind = services::ExportKind::bags;
  services::ExportFilter filter;
  services::SettingsPtr settings;
  std::shared_ptr<ExportSlot> slot;
};

// Ends the channel whichever way the connection's side stops: cancel() completes a send that waits
// on a full channel (close() alone would leave it waiting, and its transaction open, for good),
// close() refuses the next ones.
struct ChannelCloser {
  std::shared_ptr<Channel> channel;
  ~ChannelCloser() {
    channel->cancel();
    channel->close();
  }
};

// Runs the export's read transaction, then sends the end of the file (or why it failed).
asio::awaitable<void> produce(Deps* d, Export e, std::shared_ptr<Channel> channel) {
  std::string failure;
  try {
    auto sink = std::make_shared<ChannelSink>(channel);
    co_await d->db.read(storage::job(services::export_csv, e.caller, e.kind, e.filter, sink, e.settings));
  } catch (const std::exception& ex) {
    failure = ex.what();
    if (failure.empty()) failure = "the export failed";
  }
  // if/else, not `?:` (the coroutine rule: storage/job.hpp).
  boost::system::error_code end = asio::error::eof;
  if (!failure.empty()) end = asio::error::operation_aborted;
  // Fails when the connection has closed the channel already: nobody is left to tell.
  co_await channel->async_send(end, std::move(failure), asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> stream_export(http::StreamWriter& out, Deps* d, Export e) {
  const asio::any_io_executor here = co_await asio::this_coro::executor;
  auto channel = std::make_shared<Channel>(here, kPiecesInFlight);
  const ChannelCloser closer{channel};
  asio::co_spawn(here, produce(d, std::move(e), channel), asio::detached);
  for (;;) {
    auto [ec, piece] = co_await channel->async_receive(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::eof) co_return;
    if (ec) throw std::runtime_error("export failed: " + piece);
    const bool written = co_await out.write(piece);
    // The reader has gone: the closer ends the channel, and with it the export's transaction.
    if (!written) co_return;
  }
}

// The body of the response: a plain function, so the lambda is not made inside a coroutine (the
// coroutine rule: storage/job.hpp). It only hands its captures to the coroutine.
std::function<asio::awaitable<void>(http::StreamWriter&)> export_stream(Deps* d, Export e) {
  return [d, e](http::StreamWriter& out) { return stream_export(out, d, e); };
}

Export export_of(services::Caller caller, services::ExportKind kind, services::SettingsPtr settings) {
  Export e;
  e.caller = std::move(caller);
  e.kind = kind;
  e.settings = std::move(settings);
  return e;
}

asio::awaitable<Response> export_file(RequestContext& ctx, Deps& d, services::ExportKind kind) {
  const util::TimeZone zone = co_await depot_time_zone(d);
  services::SettingsPtr settings = co_await current_settings(d);
  Export e = export_of(caller_of(ctx), kind, std::move(settings));
  e.slot = ExportSlot::take(d);
  if (!e.slot) {
    throw domain::Failure(domain::Error::busy, "Another export is being downloaded from this server; try again in a minute.",
                          30);
  }
  for (const char* key : kFilters) {
    auto value = ctx.req.query_param(key);
    if (!value || (value->empty() && std::string_view(key) != "raw")) continue;  // empty: no filter, as in search
    if (!services::read_export_filter(e.filter, kind, key, *value, zone)) {
      throw domain::Failure(domain::Error::invalid_request, "The " + std::string(services::to_string(kind)) +
                                                                " export has no filter '" + key + "'.");
    }
  }
  const std::string day = util::format_iso8601(util::now_us()).substr(0, 10);  // UTC: only a file name
  Response r = http::csv_attachment("tracetrack-" + std::string(services::to_string(kind)) + "-" + day + ".csv");
  r.header("X-Accel-Buffering", "no");
  r.stream = export_stream(&d, std::move(e));
  co_return r;
}

asio::awaitable<Response> bags(RequestContext& ctx, Deps& d) {
  co_return co_await export_file(ctx, d, services::ExportKind::bags);
}
asio::awaitable<Response> bills(RequestContext& ctx, Deps& d) {
  co_return co_await export_file(ctx, d, services::ExportKind::bills);
}
asio::awaitable<Response> scans(RequestContext& ctx, Deps& d) {
  co_return co_await export_file(ctx, d, services::ExportKind::scans);
}
asio::awaitable<Response> links(RequestContext& ctx, Deps& d) {
  co_return co_await export_file(ctx, d, services::ExportKind::links);
}
asio::awaitable<Response> audit(RequestContext& ctx, Deps& d) {
  co_return co_await export_file(ctx, d, services::ExportKind::audit);
}

}  // namespace

std::span<const RouteRow> exports_routes() {
  static const RouteRow rows[] = {
      {"GET", "/api/v1/export/bags.csv", Access::any_user(), bags},
      {"GET", "/api/v1/export/bills.csv", Access::any_user(), bills},
      {"GET", "/api/v1/export/scans.csv", Access::any_user(), scans},
      {"GET", "/api/v1/export/links.csv", Access::any_user(), links},
      {"GET", "/api/v1/export/audit.csv", Access::to(domain::Permission::administer), audit},
  };
  return rows;
}

}  // namespace tt::api

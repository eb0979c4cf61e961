// GET /api/v1/export/{bags,bills,scans,audit}.csv and `tracetrack export` (SPEC §3.7) against the
// real server: streamed CSV that parses back, guarded formulas unless raw, the area rule, filters.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "depot_fixture.hpp"
#include "support/csv_reader.hpp"

using namespace tt::test;

namespace {

void tricky_depot(Depot& d) {
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.dispatcher, {{"code", "SB40000"}}).status == 201);
  for (const char* child : {"=1+2", "@SUM(1)"}) {
    REQUIRE(d.call("POST", "/api/v1/scans/child", d.dispatcher, {{"parent", "SB40000"}, {"code", child}}).status ==
            200);
  }
  REQUIRE(d.call("POST", "/api/v1/bills", d.biller,
                 {{"code", "BILL-CSV"},
                  {"description", "Rice, 50 kg \"A\" grade; lot 7, row 3"},
                  {"destination", "=HYPERLINK(\"http://x.invalid\",\"x\")"},
                  {"capacity", 3}})
              .status == 201);
  REQUIRE(d.call("POST", "/api/v1/bills/BILL-CSV/parents", d.biller, {{"code", "SB40000"}}).status == 201);
  REQUIRE(d.call("POST", "/api/v1/scans/parent", d.other_dispatcher, {{"code", "SB40001"}}).status == 201);
}

}  // namespace

TEST_CASE("GET /export/*.csv streams RFC 4180 files, formulas guarded unless raw=1") {
  Depot d;
  tricky_depot(d);
  auto bills = d.call("GET", "/api/v1/export/bills.csv", d.admin);
  REQUIRE(bills.status == 200);
  CHECK(bills.header("content-type") == "text/csv; charset=utf-8");
  CHECK(bills.header("transfer-encoding") == "chunked");
  CHECK(bills.header("content-disposition")->find("tracetrack-bills-") != std::string::npos);
  const CsvRows b = read_csv(bills.body);
  REQUIRE(b.size() == 2);
  CHECK(b[1][1] == "Rice, 50 kg \"A\" grade; lot 7, row 3");
  CHECK(b[1][2] == "'=HYPERLINK(\"http://x.invalid\",\"x\")");
  CHECK(read_csv(d.call("GET", "/api/v1/export/bills.csv?raw=1", d.admin).body)[1][2] ==
        "=HYPERLINK(\"http://x.invalid\",\"x\")");

  const CsvRows bags = read_csv(d.call("GET", "/api/v1/export/bags.csv", d.admin).body);
  REQUIRE(bags.size() == 5);
  CHECK(bags[2][0] == "'=1+2");
  CHECK(bags[3][0] == "'@SUM(1)");
  CHECK(bags[3][5] == "BILL-CSV");
  const CsvRows raw = read_csv(d.call("GET", "/api/v1/export/bags.csv?raw=1&type=child", d.admin).body);
  REQUIRE(raw.size() == 3);
  CHECK(raw[1][0] == "=1+2");
  CHECK(raw[2][0] == "@SUM(1)");

  // A dispatcher exports their own area only.
  const CsvRows kanpur = read_csv(d.call("GET", "/api/v1/export/bags.csv", d.other_dispatcher).body);
  REQUIRE(kanpur.size() == 2);
  CHECK(kanpur[1][0] == "SB40001");
  CHECK(read_csv(d.call("GET", "/api/v1/export/scans.csv", d.other_dispatcher).body).size() == 2);
  CHECK(read_csv(d.call("GET", "/api/v1/export/audit.csv", d.admin).body).size() > 1);

  check_error(d.call("GET", "/api/v1/export/bills.csv?type=parent", d.admin), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/export/bags.csv?from=yesterday", d.admin), 400, "invalid_request");
  check_error(d.call("GET", "/api/v1/export/bags.csv?bill=a%20b", d.admin), 422, "invalid_code");
}

TEST_CASE("tracetrack export writes the same file as the API, for operators") {
  Depot d;
  tricky_depot(d);
  const auto api = d.call("GET", "/api/v1/export/bags.csv?raw=1", d.admin);
  REQUIRE(api.status == 200);
  const auto cli = run_tracetrack({"export", "bags", "--raw", "--db", d.db.url()});
  REQUIRE(cli.exit_code == 0);
  CHECK(cli.output == api.body);
  const auto filtered = run_tracetrack({"export", "bills", "--status=completed", "--db", d.db.url()});
  CHECK(filtered.exit_code == 0);
  CHECK(read_csv(filtered.output).size() == 1);
  const auto wrong = run_tracetrack({"export", "bills", "--type", "parent", "--db", d.db.url()});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.output.find("no option --type") != std::string::npos);
  const auto unknown = run_tracetrack({"export", "users", "--db", d.db.url()});
  CHECK(unknown.exit_code == 2);
}

TEST_CASE("GET /bills/{code}/report.csv: one line per parent, the bill's columns repeated, formulas guarded") {
  Depot d;
  tricky_depot(d);
  auto r = d.call("GET", "/api/v1/bills/bill-csv/report.csv", d.biller);
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "text/csv; charset=utf-8");
  CHECK(r.header("content-disposition") == "attachment; filename=\"bill-BILL-CSV.csv\"");
  const CsvRows rows = read_csv(r.body);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][0] == "bill");
  CHECK(rows[1] == std::vector<std::string>{"BILL-CSV", "Rice, 50 kg \"A\" grade; lot 7, row 3",
                                            "'=HYPERLINK(\"http://x.invalid\",\"x\")", "", "open", "SB40000", "SB",
                                            "2", "2", "30", rows[1][10], "bina"});
  CHECK(read_csv(d.call("GET", "/api/v1/bills/BILL-CSV/report.csv?raw=1", d.biller).body)[1][2] ==
        "=HYPERLINK(\"http://x.invalid\",\"x\")");
  check_error(d.call("GET", "/api/v1/bills/BILL-CSV/report.csv", d.other_dispatcher), 404, "not_found");
}

namespace {

// Asks for a file on a connection of its own, reads its first bytes, and goes away.
void start_and_abandon(std::uint16_t port, const Credentials& who, const std::string& target) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  // A small receive window, fixed before connecting: the file cannot hide in kernel buffers.
  const int window = 4096;
  REQUIRE(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &window, sizeof window) == 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : who.headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  REQUIRE(send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  char buf[4096];
  REQUIRE(recv(fd, buf, sizeof buf, 0) > 0);
  // Time for the server to fill the connection and the pieces in flight, so that the export's
  // transaction waits to hand over its next piece when the client goes.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  close(fd);  // unread data: the server's next write fails
}

}  // namespace

// A file far larger than what the server keeps in flight: the export's transaction waits on a full
// channel when its client goes away, and must be ended, not left waiting with its connection.
TEST_CASE("an export whose client goes away gives back its place and its database connection") {
  ScratchDatabase db;
  setenv("TRACETRACK_ADMIN_PASSWORD", kTestAdminPassword, 1);
  const auto seeded = run_tracetrack({"seed", "--parents", "4000", "--days", "2", "--db", db.url()},
                                     std::chrono::seconds(300));
  REQUIRE_MESSAGE(seeded.exit_code == 0, seeded.output);
  ServerProcess server(db.url());
  HttpClient client = server.client();
  const Credentials admin = sign_in(client, "admin", kTestAdminPassword);
  for (int i = 0; i < 3; ++i) start_and_abandon(server.port(), admin, "/api/v1/export/bags.csv");

  // One export at a time: the next one is let in once the abandoned one has ended.
  HttpResponse full;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  do {
    full = client.get("/api/v1/export/bags.csv", admin.headers);
    if (full.status != 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  } while (std::chrono::steady_clock::now() < deadline);
  REQUIRE(full.status == 200);
  CHECK(read_csv(full.body).size() == 1 + 4000 * 31);
  CHECK(client.get("/api/v1/bags/SB00001", admin.headers).status == 200);  // reads go on
  CHECK(server.stop() == 0);  // nothing left waiting at shutdown
}

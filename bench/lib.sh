# Shell functions shared by bench/run and bench/smoke-server (sourced, not run): start a TraceTrack
# server on a free loopback port, create the scanner account through the admin API, stop it.
# Needs curl and python3 (for JSON).

# A throwaway admin password for servers these scripts start on fresh databases.
TT_BENCH_ADMIN_PASSWORD="${TT_BENCH_ADMIN_PASSWORD:-bench-admin-$$-$RANDOM$RANDOM}"

tt_say() { echo "bench: $*" >&2; }

# tt_start_server BINARY DB_URL LOGFILE [serve options...]
# Starts `tracetrack serve` on 127.0.0.1 with a port the kernel picks, waits for its
# "listening on" line and sets TT_SERVER_PID and TT_SERVER_PORT.
tt_start_server() {
  local bin="$1" db="$2" log="$3"
  shift 3
  TRACETRACK_ADMIN_PASSWORD="$TT_BENCH_ADMIN_PASSWORD" \
    "$bin" serve --db "$db" --listen 127.0.0.1:0 --no-access-log "$@" >"$log" 2>&1 &
  TT_SERVER_PID=$!
  TT_SERVER_PORT=""
  local i
  for i in $(seq 1 300); do
    TT_SERVER_PORT="$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$log" | head -n1)"
    [ -n "$TT_SERVER_PORT" ] && return 0
    if ! kill -0 "$TT_SERVER_PID" 2>/dev/null; then
      tt_say "the server exited during start-up:"; cat "$log" >&2; return 1
    fi
    sleep 0.1
  done
  tt_say "the server did not announce its port within 30 s:"; cat "$log" >&2
  return 1
}

# tt_stop_server: SIGTERM, then SIGKILL after 15 s.
tt_stop_server() {
  [ -n "${TT_SERVER_PID:-}" ] || return 0
  kill -TERM "$TT_SERVER_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 150); do
    kill -0 "$TT_SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$TT_SERVER_PID" 2>/dev/null || true
  wait "$TT_SERVER_PID" 2>/dev/null || true
  TT_SERVER_PID=""
}

# Peak resident memory of a process in kB (VmHWM), empty when it is gone.
tt_peak_rss_kb() { sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status" 2>/dev/null; }

# tt_json_field FIELD: reads JSON on stdin, prints the top-level string field.
tt_json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# tt_create_scanner PORT AREA USERNAME PASSWORD ROLE
# Logs in as admin, creates the area and the user (an existing one is fine).
tt_create_scanner() {
  local port="$1" area="$2" user="$3" password="$4" role="$5"
  local base="http://127.0.0.1:$port/api/v1" jar csrf body status
  jar="$(mktemp)"
  body="$(python3 -c 'import json,sys; print(json.dumps({"username": "admin", "password": sys.argv[1]}))' \
    "$TT_BENCH_ADMIN_PASSWORD")"
  csrf="$(curl -sf -c "$jar" -H 'Content-Type: application/json' -d "$body" "$base/auth/login" | tt_json_field csrf_token)" \
    || { tt_say "admin login failed"; rm -f "$jar"; return 1; }
  status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H "X-CSRF-Token: $csrf" \
    -H 'Content-Type: application/json' -d "{\"name\":\"$area\"}" "$base/areas")"
  case "$status" in 201|200|409) ;; *) tt_say "creating area $area: HTTP $status"; rm -f "$jar"; return 1 ;; esac
  body="$(python3 -c 'import json,sys; print(json.dumps({"username": sys.argv[1], "password": sys.argv[2], "role": sys.argv[3], "area": sys.argv[4]}))' \
    "$user" "$password" "$role" "$area")"
  status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -H "X-CSRF-Token: $csrf" \
    -H 'Content-Type: application/json' -d "$body" "$base/users")"
  rm -f "$jar"
  case "$status" in 201|200|409) return 0 ;; *) tt_say "creating user $user: HTTP $status"; return 1 ;; esac
}

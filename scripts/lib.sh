# Shell helpers shared by scripts/run, scripts/test and bench/run. Source it; do not run it.

# tt_configure DIR MESON_OPTION...: configures the meson build folder DIR with exactly these options.
# A folder configured earlier with other options is reconfigured, so a build never keeps settings
# from an older script. Shows meson's complaint (the missing Debian package) and fails when
# configuring fails; never downloads anything (the project's default wrap mode is nodownload).
tt_configure() {
  local dir="$1"; shift
  local root stamp wanted
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  stamp="$dir/.tt-configured-with"
  wanted="$*"
  if [ -f "$dir/build.ninja" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
    return 0
  fi
  local mode=()
  [ -f "$dir/build.ninja" ] && mode=(--reconfigure)
  mkdir -p "$(dirname "$dir")"
  local log
  log="$(mktemp)"
  if ! meson setup "${mode[@]}" "$dir" "$root" "$@" >"$log" 2>&1; then
    grep -E 'ERROR|not found' "$log" >&2 || tail -20 "$log" >&2
    echo "(configuring $dir failed; meson's whole log: $dir/meson-logs/meson-log.txt)" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
  printf '%s' "$wanted" >"$stamp"
}

# The options of the build that runs the server: release, and nothing but the server, so it needs
# the build packages alone (scripts/install-deps build).
TT_RUN_OPTIONS=(--buildtype=release -Dtests=disabled -Dloadgen=disabled)

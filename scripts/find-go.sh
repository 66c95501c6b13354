# Sourced by the scripts that build Go tools (ensure-pulumi.sh, ensure-yaml-host.sh, gen-sdk.sh).
#
# find_go prints the go binary to use: ZOHO_WATCH_GO when set, else the go on PATH, else Go's
# default install places (Go may be installed but not on PATH: its default place is /usr/local/go).
# It fails, printing nothing, when there is none; each caller says what it needed Go for.
find_go() {
  local go_bin="${ZOHO_WATCH_GO:-$(command -v go || true)}"
  if [ -z "$go_bin" ]; then
    for candidate in /usr/local/go/bin/go /usr/lib/go/bin/go; do
      if [ -x "$candidate" ]; then go_bin="$candidate" && break; fi
    done
  fi
  [ -n "$go_bin" ] && [ -x "$go_bin" ] && echo "$go_bin"
}

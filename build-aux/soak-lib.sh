# soak-lib.sh: what soak.sh and soak-moov.sh share, sourced by them.
# Needs SRCDIR, BUILDDIR and NAME (the prefix of messages) set.

# Builds dossier-cli and dossier-sandbox; sets CLI and SANDBOX
soak_build () {
  if [ ! -d "$BUILDDIR" ]; then
    meson setup "$BUILDDIR" "$SRCDIR" --buildtype=debugoptimized >/dev/null
  fi
  meson compile -C "$BUILDDIR" src/cli/dossier-cli src/sandbox/dossier-sandbox >/dev/null
  CLI=$BUILDDIR/src/cli/dossier-cli
  SANDBOX=$BUILDDIR/src/sandbox/dossier-sandbox
}

# Makes the work folder WORK, removed on exit (SOAK_KEEP=1 keeps it) with
# the sandbox stopped
soak_work () {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/dossier-$NAME-XXXXXX")
  SANDBOX_PID=
  trap soak_cleanup EXIT INT TERM
  mkdir -p "$WORK/files" "$WORK/storage" "$WORK/out" "$WORK/config" "$WORK/state"
}

soak_cleanup () {
  if [ -n "$SANDBOX_PID" ]; then
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
  fi
  if [ "${SOAK_KEEP:-0}" = 1 ]; then
    echo "$NAME: work folder kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}

# Starts the sandbox with the arguments given (faults); sets URL, and the
# environment dossier-cli runs in
soak_start_sandbox () {
  "$SANDBOX" --port 0 --quiet --storage "$WORK/storage" "$@" >"$WORK/sandbox.out" 2>"$WORK/sandbox.err" &
  SANDBOX_PID=$!
  URL=
  for _ in $(seq 1 100); do
    URL=$(sed -n 's/^Listening on //p' "$WORK/sandbox.out")
    [ -n "$URL" ] && break
    sleep 0.1
  done
  if [ -z "$URL" ]; then
    echo "$NAME: the sandbox did not start:" >&2
    cat "$WORK/sandbox.err" >&2
    exit 2
  fi
  export DOSSIER_SANDBOX_URL="$URL"
  export XDG_CONFIG_HOME="$WORK/config" XDG_STATE_HOME="$WORK/state" XDG_DATA_HOME="$WORK/state"
  unset DOSSIER_TOKEN DOSSIER_API_KEY DOSSIER_CLIENT_ID DOSSIER_CLIENT_SECRET
}

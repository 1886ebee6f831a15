#!/usr/bin/env bash
# benchmark.sh: dossier-cli against curl, uploading random files to the sandbox
#
# Usage: build-aux/benchmark.sh [BUILD_DIR] [SIZE_MIB...]
#        (from the source root; defaults: _build, sizes 100 and 1024)
#
# Starts dossier-sandbox on a free port, describes its /generic/upload route
# as a provider of its own ("bench", a JSON file in a temporary
# XDG_CONFIG_HOME: adding a provider is a JSON file), then for each size sends
# one random file ROUNDS times (default 3) with curl and with dossier-cli,
# alternating, each under /usr/bin/time. Every upload's SHA-256 as the
# sandbox received it is checked against the file's. Prints the median time,
# throughput and peak memory of each, and PASS or FAIL against the targets:
# dossier-cli reaches at least 0.9 of curl's throughput, in less than 32 MiB.
#
# Then the same files against a discard server (tests/bench/discard-server.py:
# reads the body, drops it, answers 201 JSON; no hashing, no disk), over
# plain HTTP and over HTTPS on loopback with a throw-away CA and server
# certificate the script makes with openssl: curl -F, dossier-cli, and
# tests/bench/bare-upload (a file stream handed to libsoup, nothing more:
# libsoup's own floor), with the ratios dossier/curl and dossier/bare-libsoup
# and dossier-cli's peak RSS. dossier-cli trusts only the system's CA list,
# so over HTTPS it runs in a private mount namespace (unshare) where that
# list has the throw-away CA added; DISCARD=0 leaves this part out.
# HTTP/2 ("h2"): nginx (Debian's, `build-aux/deps.sh --extra`) on loopback
# with the same certificate, TLS and http2 (ALPN h2), hands every request
# body unbuffered (proxy_request_buffering off) to the plain-HTTP discard
# server, which reads and drops it and logs the byte count, so no body was
# cut short (over HTTP/2 nginx's own `return` answers before reading the
# body, and curl then stalls), and nginx's log must show HTTP/2.0 for every
# request.
# H2=0 leaves that row out (Python's standard library has no HTTP/2, and
# libsoup 3.2's own server hangs on HTTP/2 request bodies of 64 KiB or more).
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

BUILD_DIR=${1:-_build}
if [ $# -gt 0 ]; then
  shift
fi
SIZES=("$@")
if [ ${#SIZES[@]} -eq 0 ]; then
  SIZES=(100 1024)
fi
ROUNDS=${ROUNDS:-3}
RATIO_TARGET=0.9
RSS_TARGET_MIB=32

die () {
  echo "benchmark: $*" >&2
  exit 1
}

for size in "${SIZES[@]}"; do
  [[ $size =~ ^[1-9][0-9]*$ ]] || die "sizes are whole MiB, got “$size”"
done
[ -f meson.build ] && [ -d src/cli ] || die "run me from the source root"
[ -x /usr/bin/time ] || die "needs /usr/bin/time (package “time”)"
command -v curl >/dev/null || die "needs curl"
if command -v jq >/dev/null; then
  json_get () { jq -r --arg k "$1" '.[$k] // empty'; }
  received_sha () { jq -r --arg id "$1" '.[] | select(.id == $id) | .sha256'; }
elif command -v python3 >/dev/null; then
  json_get () {
    python3 -c 'import json, sys; v = json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"
  }
  received_sha () {
    python3 -c 'import json, sys; print("".join(r["sha256"] for r in json.load(sys.stdin) if r["id"] == sys.argv[1]))' "$1"
  }
else
  die "needs jq or python3 to read JSON"
fi

# --- build ------------------------------------------------------------------
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" >/dev/null
fi
meson compile -C "$BUILD_DIR" dossier-cli dossier-sandbox bare-upload >/dev/null
BARE=$BUILD_DIR/tests/bench/bare-upload
DISCARD=${DISCARD:-1}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
CLI=$BUILD_DIR/src/cli/dossier-cli
SANDBOX=$BUILD_DIR/src/sandbox/dossier-sandbox
[ -x "$CLI" ] && [ -x "$SANDBOX" ] || die "no $CLI or $SANDBOX after building"

# --- scratch space and clean-up -------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/dossier-bench.XXXXXX")
SANDBOX_PID=
DISCARD_PIDS=()
H2=${H2:-1}
cleanup () {
  for pid in $SANDBOX_PID "${DISCARD_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

largest=0
for size in "${SIZES[@]}"; do
  (( size > largest )) && largest=$size
done
# the file, the sandbox's stored copy, and some room
need_kib=$(( (largest * 2 + 64) * 1024 ))
free_kib=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
(( free_kib >= need_kib )) ||
  die "$WORK has $(( free_kib / 1024 )) MiB free, $(( need_kib / 1024 )) MiB needed (set TMPDIR)"

# --- the sandbox ------------------------------------------------------------
mkdir -p "$WORK/storage"
"$SANDBOX" --port 0 --quiet --storage "$WORK/storage" >"$WORK/sandbox.log" 2>&1 &
SANDBOX_PID=$!
URL=
for _ in $(seq 100); do
  URL=$(sed -n 's/^Listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$WORK/sandbox.log")
  [ -n "$URL" ] && break
  kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$WORK/sandbox.log" >&2; die "the sandbox did not start"; }
  sleep 0.1
done
[ -n "$URL" ] || die "the sandbox did not say where it listens"

# --- the provider: one JSON file ------------------------------------------
CONFIG=$WORK/config
mkdir -p "$CONFIG/dossier/providers"
cat >"$CONFIG/dossier/providers/bench.json" <<EOF
{
  "schema": 1,
  "id": "bench",
  "name": "Benchmark",
  "description": "The sandbox's generic upload route, for measuring",
  "environments": [
    { "id": "production", "name": "Local sandbox", "base_url": "$URL" }
  ],
  "auth": { "scheme": "none" },
  "endpoint": { "method": "POST", "path": "/generic/upload" },
  "fields": [],
  "files": { "part": "file" },
  "flow": { "kind": "multipart" },
  "response": { "id": ["id"], "link": ["link"] }
}
EOF

# --- measuring ----------------------------------------------------------------
echo "machine: $(uname -m), $(nproc) CPUs"
echo "curl:    $(curl --version | head -n 1)"
echo "sandbox: $URL"
echo

median () { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

forget_stored () {
  find "$WORK/storage" -type f -delete
}

# run_one TOOL FILE SHA: appends "seconds rss_kib" to $WORK/TOOL.times
run_one () {
  local tool=$1 file=$2 sha=$3 got id
  case $tool in
    curl)
      /usr/bin/time -f '%e %M' -o "$WORK/time" \
        curl -s -S -o "$WORK/answer.json" -F "file=@$file" "$URL/generic/upload"
      got=$(json_get sha256 <"$WORK/answer.json")
      ;;
    dossier)
      /usr/bin/time -f '%e %M' -o "$WORK/time" \
        env -u DOSSIER_SANDBOX_URL XDG_CONFIG_HOME="$CONFIG" \
        "$CLI" upload --provider bench --environment production --json "$file" \
        >"$WORK/answer.json" 2>"$WORK/cli.err" ||
        { cat "$WORK/answer.json" "$WORK/cli.err" >&2; die "dossier-cli failed"; }
      id=$(json_get id <"$WORK/answer.json")
      got=$(curl -s "$URL/_sandbox/received" | received_sha "$id")
      ;;
  esac
  [ "$got" = "$sha" ] || die "$tool: the sandbox received sha256 “$got”, the file has $sha"
  tail -n 1 "$WORK/time" >>"$WORK/$tool.times"
  forget_stored
}

# --- against the discard server, HTTP and HTTPS -----------------------------
# start_discard NAME [--cert C --key K]: sets DISCARD_URL
start_discard () {
  local name=$1
  shift
  python3 tests/bench/discard-server.py "$@" >"$WORK/discard-$name.log" 2>&1 &
  DISCARD_PIDS+=($!)
  DISCARD_URL=
  for _ in $(seq 100); do
    DISCARD_URL=$(sed -n 's/^Listening on \(https*:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$WORK/discard-$name.log")
    [ -n "$DISCARD_URL" ] && return 0
    sleep 0.1
  done
  cat "$WORK/discard-$name.log" >&2
  die "the discard server ($name) did not start"
}

make_certificates () {
  local d=$WORK/tls
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=Dossier benchmark CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
    -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$d/ext.cnf"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 1 \
    -extfile "$d/ext.cnf" -out "$d/server.pem" 2>/dev/null
  # the system's list with the throw-away CA, for dossier-cli's namespace
  cat "${SYSTEM_CA:-/etc/ssl/certs/ca-certificates.crt}" "$d/ca.pem" >"$d/bundle.pem"
}

# in_trust CMD...: CMD in a mount namespace whose system CA list trusts the
# throw-away CA (root: unshare --mount; else a user namespace as well)
in_trust () {
  local ns=(unshare --mount)
  [ "$(id -u)" = 0 ] || ns=(unshare --mount --map-root-user)
  "${ns[@]}" sh -c 'mount --bind "$1" "${SYSTEM_CA:-/etc/ssl/certs/ca-certificates.crt}" && shift && exec "$@"' \
    sh "$WORK/tls/bundle.pem" "$@"
}

# start_nginx UPSTREAM_URL: nginx in the foreground, one process, on a free
# port of 127.0.0.1 with TLS and http2, every request passed on unbuffered
# to UPSTREAM_URL (the plain discard server); sets DISCARD_URL
start_nginx () {
  local upstream=${1#http://} d=$WORK/nginx port
  mkdir -p "$d"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$d/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 64; }
http {
  log_format proto '\$server_protocol \$request_length \$status';
  access_log $d/access.log proto;
  client_body_temp_path $d/body;
  proxy_temp_path $d/proxy;
  fastcgi_temp_path $d/fastcgi;
  uwsgi_temp_path $d/uwsgi;
  scgi_temp_path $d/scgi;
  upstream discard { server $upstream; keepalive 4; }
  server {
    listen 127.0.0.1:$port ssl http2;
    ssl_certificate $WORK/tls/server.pem;
    ssl_certificate_key $WORK/tls/server.key;
    client_max_body_size 0;
    location / {
      proxy_pass http://discard;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_request_buffering off;
      proxy_buffering off;
    }
  }
}
EOF
  "$NGINX" -e "$d/error.log" -c "$d/nginx.conf" >"$WORK/discard-h2.log" 2>&1 &
  DISCARD_PIDS+=($!)
  DISCARD_URL=https://127.0.0.1:$port
  for _ in $(seq 100); do
    curl -s -o /dev/null --cacert "$WORK/tls/ca.pem" "$DISCARD_URL/" && return 0
    sleep 0.1
  done
  cat "$WORK/discard-h2.log" "$d/error.log" >&2
  die "nginx did not start"
}

# discard_one KIND TOOL FILE SIZE URL: appends "seconds rss_kib" to $WORK/KIND-TOOL.times
discard_one () {
  local kind=$1 tool=$2 file=$3 size=$4 url=$5 got id trust=()
  local http=()
  [ "$kind" = http ] || trust=(in_trust)
  [ "$kind" = h2 ] && http=(--http2)
  case $tool in
    curl)
      /usr/bin/time -f '%e %M' -o "$WORK/time" \
        curl -s -S "${http[@]}" --cacert "$WORK/tls/ca.pem" -o "$WORK/answer.json" -F "file=@$file" "$url/upload"
      ;;
    bare-libsoup)
      /usr/bin/time -f '%e %M' -o "$WORK/time" \
        "$BARE" "$url/upload" "$file" "$WORK/tls/ca.pem" >"$WORK/answer.json" 2>"$WORK/bare.err"
      # the protocol libsoup negotiated, as it says (soup_message_get_http_version)
      if [ "$kind" = h2 ] && ! grep -q 'HTTP/2' "$WORK/bare.err"; then
        die "bare-upload ($kind): libsoup did not use HTTP/2: $(cat "$WORK/bare.err")"
      fi
      sed -i 's/^[0-9]* //' "$WORK/answer.json"
      ;;
    dossier)
      sed "s|\"base_url\": \"[^\"]*\"|\"base_url\": \"$url\"|; s|/generic/upload|/upload|" \
        "$CONFIG/dossier/providers/bench.json" >"$WORK/discard-config/dossier/providers/bench.json"
      "${trust[@]}" /usr/bin/time -f '%e %M' -o "$WORK/time" \
        env -u DOSSIER_SANDBOX_URL XDG_CONFIG_HOME="$WORK/discard-config" \
        "$CLI" upload --provider bench --environment production --json "$file" \
        >"$WORK/answer.json" 2>"$WORK/cli.err" ||
        { cat "$WORK/answer.json" "$WORK/cli.err" >&2; die "dossier-cli failed ($kind)"; }
      ;;
  esac
  # the discard server counted the whole body (the file, and the form's
  # headers around it for curl and dossier-cli): nothing was cut short
  id=$(json_get id <"$WORK/answer.json")
  [ -n "$id" ] || die "$tool ($kind): no answer from the discard server"
  got=$(awk -v id="$id" '$1 == id { print $2 }' "$WORK/discard-$kind.log" "$WORK/discard-http.log" | head -n 1)
  [ -n "$got" ] || die "$tool ($kind): the discard server did not log “$id”"
  (( got >= size * 1024 * 1024 )) || die "$tool ($kind): the discard server read $got bytes of a $size MiB file"
  if [ "$kind" = h2 ]; then
    # what nginx saw: the protocol of this tool's request
    local proto
    proto=$(tail -n 1 "$WORK/nginx/access.log" | cut -d ' ' -f 1)
    [ "$proto" = HTTP/2.0 ] || die "$tool ($kind): nginx saw “$proto”, not HTTP/2.0"
  fi
  tail -n 1 "$WORK/time" >>"$WORK/$kind-$tool.times"
}

discard_part () {
  local part_status=0 kind url size file tool
  local -A urls
  command -v openssl >/dev/null || die "needs openssl for the HTTPS case"
  command -v unshare >/dev/null || die "needs unshare (util-linux) for the HTTPS case"
  [ "$H2" != 1 ] || [ -x "$NGINX" ] ||
    die "needs nginx for the HTTP/2 case (build-aux/deps.sh --extra), or H2=0 to leave it out"
  make_certificates
  mkdir -p "$WORK/discard-config/dossier/providers"
  start_discard http
  urls[http]=$DISCARD_URL
  start_discard https --cert "$WORK/tls/server.pem" --key "$WORK/tls/server.key"
  urls[https]=$DISCARD_URL
  local kinds=(http https)
  if [ "$H2" = 1 ]; then
    start_nginx "${urls[http]}"
    urls[h2]=$DISCARD_URL
    kinds+=(h2)
  fi

  echo
  echo "Against a discard server (tests/bench/discard-server.py: no hashing, no disk): http and https"
  echo "HTTP/1.1; h2: HTTP/2 over TLS, nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') in front passing the body on unbuffered"
  printf '%10s  %-6s %-13s %8s %10s %9s\n' size kind tool "median s" "MB/s" "RSS MiB"
  local lines=()
  for size in "${SIZES[@]}"; do
    file=$WORK/random-$size.bin
    for kind in "${kinds[@]}"; do
      url=${urls[$kind]}
      rm -f "$WORK/$kind-"*.times
      for (( round = 1; round <= ROUNDS; round++ )); do
        for tool in curl dossier bare-libsoup; do
          discard_one "$kind" "$tool" "$file" "$size" "$url"
        done
      done
      local -A dm drss
      for tool in curl dossier bare-libsoup; do
        local secs
        secs=$(cut -d ' ' -f 1 "$WORK/$kind-$tool.times" | median)
        drss[$tool]=$(cut -d ' ' -f 2 "$WORK/$kind-$tool.times" | sort -n | tail -n 1)
        dm[$tool]=$(awk -v b="$(( size * 1024 * 1024 ))" -v s="$secs" 'BEGIN { printf "%.1f", (s > 0) ? b / 1e6 / s : 0 }')
        printf '%6s MiB  %-6s %-13s %8.2f %10s %9.1f\n' "$size" "$kind" "$tool" "$secs" "${dm[$tool]}" \
          "$(awk -v k="${drss[$tool]}" 'BEGIN { print k / 1024 }')"
      done
      local rss_mib verdict=PASS
      rss_mib=$(awk -v k="${drss[dossier]}" 'BEGIN { printf "%.1f", k / 1024 }')
      awk -v m="$rss_mib" -v t="$RSS_TARGET_MIB" 'BEGIN { exit !(m < t) }' || { verdict=FAIL; part_status=1; }
      lines+=("$(printf '%6s MiB %-5s dossier/curl %s, dossier/bare-libsoup %s, dossier peak RSS %s MiB (< %s: %s)' \
        "$size" "$kind" \
        "$(awk -v d="${dm[dossier]}" -v c="${dm[curl]}" 'BEGIN { printf "%.2f", (c > 0) ? d / c : 0 }')" \
        "$(awk -v d="${dm[dossier]}" -v c="${dm[bare-libsoup]}" 'BEGIN { printf "%.2f", (c > 0) ? d / c : 0 }')" \
        "$rss_mib" "$RSS_TARGET_MIB" "$verdict")")
    done
    rm -f "$file"
  done
  echo
  printf '%s\n' "${lines[@]}"
  echo "(median of $ROUNDS rounds each, the three tools alternating; HTTPS target for dossier/curl: ≥ 0.8)"
  if [ "$H2" = 1 ]; then
    echo "(h2: nginx logged HTTP/2.0 for each of its $(wc -l <"$WORK/nginx/access.log") requests)"
  fi
  return $part_status
}

rows=()
verdicts=()
status=0
for size in "${SIZES[@]}"; do
  file=$WORK/random-$size.bin
  head -c "$(( size * 1024 * 1024 ))" /dev/urandom >"$file"
  sha=$(sha256sum "$file" | cut -d ' ' -f 1)
  rm -f "$WORK/curl.times" "$WORK/dossier.times"

  for (( round = 1; round <= ROUNDS; round++ )); do
    run_one curl "$file" "$sha"
    run_one dossier "$file" "$sha"
  done

  declare -A secs mbps rss
  for tool in curl dossier; do
    secs[$tool]=$(cut -d ' ' -f 1 "$WORK/$tool.times" | median)
    rss[$tool]=$(cut -d ' ' -f 2 "$WORK/$tool.times" | sort -n | tail -n 1)
    mbps[$tool]=$(awk -v b="$(( size * 1024 * 1024 ))" -v s="${secs[$tool]}" \
                  'BEGIN { printf "%.1f", (s > 0) ? b / 1e6 / s : 0 }')
    rows+=("$(printf '%6s MiB  %-12s %8.2f %10s %9.1f' "$size" "$tool" "${secs[$tool]}" \
               "${mbps[$tool]}" "$(awk -v k="${rss[$tool]}" 'BEGIN { print k / 1024 }')")")
  done

  ratio=$(awk -v d="${mbps[dossier]}" -v c="${mbps[curl]}" 'BEGIN { printf "%.2f", (c > 0) ? d / c : 0 }')
  rss_mib=$(awk -v k="${rss[dossier]}" 'BEGIN { printf "%.1f", k / 1024 }')
  verdict=PASS
  awk -v r="$ratio" -v t="$RATIO_TARGET" 'BEGIN { exit !(r >= t) }' || verdict=FAIL
  awk -v m="$rss_mib" -v t="$RSS_TARGET_MIB" 'BEGIN { exit !(m < t) }' || verdict=FAIL
  [ "$verdict" = PASS ] || status=1
  verdicts+=("$(printf '%6s MiB  dossier/curl throughput %s (target ≥ %s), dossier peak RSS %s MiB (target < %s): %s' \
                "$size" "$ratio" "$RATIO_TARGET" "$rss_mib" "$RSS_TARGET_MIB" "$verdict")")
  [ "$DISCARD" = 1 ] || rm -f "$file"
done

printf '%10s  %-12s %8s %10s %9s\n' size tool "median s" "MB/s" "RSS MiB"
printf '%s\n' "${rows[@]}"
echo
printf '%s\n' "${verdicts[@]}"
echo "(median of $ROUNDS rounds each; every upload's sha256 checked against the sandbox's)"

if [ "$DISCARD" = 1 ]; then
  discard_part || status=1
fi
exit $status

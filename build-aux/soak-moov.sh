#!/bin/sh
# soak-moov.sh [N] (or soak.sh --moov [N]): N small uploads (default 400) to
# Moov through dossier-cli, for N/40 merchants each with an account of its
# own (Moov keeps at most 50 files per account), to a dossier-sandbox that
# injects random faults, among them store-drop (the file stored, the answer
# lost: "outcome unknown"). Then "dossier-cli follow-up" for every merchant,
# which reconciles the unknown outcomes through Moov's list of files. Proof,
# from what the sandbox stored and what the record says after the
# follow-up: no file the sandbox stored is left "outcome unknown", none is
# stored twice, none reported sent is missing.
#
# Ends with one line:
#   soak-moov: N uploads, S stored once, F failed, U reconciled, K unknown left (not stored), L lost, D duplicated, X stored yet unknown
# and exits non-zero when L, D or X is not 0.
# Environment: BUILDDIR (default _build), SOAK_JOBS (default 8), SOAK_KEEP=1.

set -eu

N=${1:-400}
JOBS=${SOAK_JOBS:-8}
PER=40
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
BUILDDIR=${BUILDDIR:-$SRCDIR/_build}

case $N in
  ''|*[!0-9]*) echo "usage: $0 [N]  (N: how many uploads, default 400)" >&2; exit 2 ;;
esac

NAME=soak-moov
. "$SRCDIR/build-aux/soak-lib.sh"
soak_build
soak_work
started=$(date +%s)

# -- the files, one folder per merchant, every name its own -------------------
python3 - "$WORK/files" "$N" "$PER" <<'EOF'
import os, random, sys
folder, n, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
head = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
rng = random.Random(9)
for i in range(n):
    sub = os.path.join(folder, "m%03d" % (i // per))
    os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, "doc-%05d.png" % i), "wb") as f:
        f.write(head + os.urandom(rng.randint(1024, 64 * 1024)))
EOF

# -- the sandbox: every kind of fault on Moov's uploads ----------------------
set -- \
  --fault 'moov/upload:store-drop,probability=0.08,times=0' \
  --fault 'moov/upload:store-fail,status=504,probability=0.03,times=0' \
  --fault 'moov/upload:store-fail,probability=0.02,times=0' \
  --fault 'moov/upload:status=503,retry-after=1,probability=0.03,times=0' \
  --fault 'moov/upload:status=429,retry-after=1,probability=0.03,times=0' \
  --fault 'moov/upload:status=500,probability=0.02,times=0' \
  --fault 'moov/upload:drop=200,probability=0.02,times=0' \
  --fault 'moov/upload:delay=800,probability=0.01,times=0'
soak_start_sandbox "$@"


# -- per merchant: its account, its uploads, then the follow-up ---------------
for dir in "$WORK"/files/m*; do
  m=$(basename "$dir")
  account=$(python3 -c 'import uuid; print(uuid.uuid4())')
  "$CLI" merchant add "Soak $m" --reference "$m" >/dev/null
  "$CLI" merchant set "$m" --provider moov --field "accountID=$account" >/dev/null
  # exit status 1 (some failed) and 3 (some unknown) are expected here
  (cd "$dir" && ls | xargs timeout 900 "$CLI" upload --merchant "$m" -p moov \
     --field filePurpose=business_verification -j "$JOBS" --json \
     >"$WORK/out/$m.jsonl" 2>>"$WORK/cli.err") || true
  timeout 300 "$CLI" follow-up "$m" --provider moov --json >"$WORK/out/$m.follow-up.json" 2>>"$WORK/cli.err" || true
done

curl -sf "$URL/_sandbox/received" >"$WORK/received.json"
elapsed=$(( $(date +%s) - started ))

python3 - "$WORK" "$elapsed" <<'EOF'
import glob, json, os, sys
work, elapsed = sys.argv[1], int(sys.argv[2])
reported, after = {}, {}
for path in sorted(glob.glob(os.path.join(work, "out", "*.jsonl"))):
    for line in open(path):
        line = line.strip()
        if line:
            o = json.loads(line)
            reported[o["file"]] = o
for path in sorted(glob.glob(os.path.join(work, "out", "*.follow-up.json"))):
    try:
        o = json.load(open(path))
    except ValueError:
        print("soak-moov: %s: no follow-up answer" % path, file=sys.stderr)
        continue
    for p in o["providers"]:
        if p.get("error"):
            print("soak-moov: follow-up failed: %s" % p["error"], file=sys.stderr)
        for d in p["documents"]:
            after[d["file_name"]] = d
stored = {}
for r in json.load(open(os.path.join(work, "received.json"))):
    if r.get("operation") == "upload":
        stored.setdefault(r["file_name"], []).append(r["id"])
S = F = U = K = L = D = X = 0
problems = []
names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(work, "files", "*", "*")))
for name in names:
    copies = stored.get(name, [])
    status = reported.get(name, {}).get("status", "missing")
    doc = after.get(name)
    if len(copies) > 1:
        D += 1; problems.append((name, status, "stored %d times" % len(copies)))
    elif status == "done":
        if len(copies) == 1: S += 1
        else: L += 1; problems.append((name, status, "reported sent, not stored"))
    elif status == "unknown":
        if doc is not None and doc["outcome"] == "unknown":
            if copies: X += 1; problems.append((name, status, "stored, still outcome unknown"))
            else: K += 1
        elif doc is not None and doc["reconciled"] and copies and doc["remote_id"] == copies[0]:
            U += 1
        else:
            L += 1; problems.append((name, status, "reconciled to the wrong file or not at all"))
    else:
        if not copies: F += 1
        else: L += 1; problems.append((name, status, "reported %s, yet stored" % status))
for p in problems[:20]:
    print("soak-moov: %s: %s (%s)" % p, file=sys.stderr)
print("soak-moov: %d uploads for %d merchants in %d s" % (len(names), len(glob.glob(os.path.join(work, "files", "*"))), elapsed), file=sys.stderr)
print("soak-moov: %d uploads, %d stored once, %d failed, %d reconciled, %d unknown left (not stored), "
      "%d lost, %d duplicated, %d stored yet unknown" % (len(names), S, F, U, K, L, D, X))
sys.exit(1 if L or D or X else 0)
EOF

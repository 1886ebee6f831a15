#!/bin/sh
# soak.sh --moov [N]: the Moov run with reconciliation, see soak-moov.sh.
# soak.sh [N]: N small (default 2000) and 20 large uploads through the core
# (dossier-cli) to a dossier-sandbox that injects random faults, then proof,
# from what the sandbox stored, that every file was stored exactly once with
# the right bytes, or reported failed (and not stored), or reported "outcome
# unknown" and stored at most once.
#
# Ends with one line:
#   soak: N uploads, S stored once, F failed, U outcome unknown, L lost, D duplicated
# and exits non-zero when L or D is not 0. "Lost": reported sent but not
# stored (or stored with other bytes), or reported failed yet stored;
# "duplicated": stored more than once.
#
# Not a test of the suite: it takes minutes and a few GB of disk for a while.
# Environment: BUILDDIR (default _build), SOAK_LARGE (default 20),
# SOAK_BATCH (files per dossier-cli run, default 250), SOAK_JOBS (files sent
# at once, default 8), SOAK_KEEP=1 keeps the work folder.

set -eu

if [ "${1:-}" = --moov ]; then
  shift
  exec "$(dirname "$0")/soak-moov.sh" "$@"
fi

N=${1:-2000}
LARGE=${SOAK_LARGE:-20}
BATCH=${SOAK_BATCH:-250}
JOBS=${SOAK_JOBS:-8}
SRCDIR=$(cd "$(dirname "$0")/.." && pwd)
BUILDDIR=${BUILDDIR:-$SRCDIR/_build}

case $N in
  ''|*[!0-9]*) echo "usage: $0 [N]  (N: how many small uploads, default 2000)" >&2; exit 2 ;;
esac

# -- build if needed ----------------------------------------------------------
NAME=soak
. "$SRCDIR/build-aux/soak-lib.sh"
soak_build
soak_work
started=$(date +%s)

# -- the files: a PNG header, then random bytes (each file its own sha256) ----
python3 - "$WORK/files" "$N" "$LARGE" <<'EOF'
import os, random, sys
folder, n, large = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
head = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
rng = random.Random(6)
def write(name, size):
    with open(os.path.join(folder, name), "wb") as f:
        f.write(head)
        left = size - len(head)
        while left > 0:
            block = min(left, 1 << 20)
            f.write(os.urandom(block))
            left -= block
for i in range(n):
    write("small-%05d.png" % i, rng.randint(1024, 96 * 1024))
for i in range(large):
    write("large-%03d.png" % i, rng.randint(20 * 1000 * 1000, 50 * 1000 * 1000))
EOF

# -- the sandbox, with random faults on every request that stores ------------
# Kore: a single request below 25 MB, a chunked session above (its complete
# stores the file). Every kind of fault, each on a few percent of requests.
set -- \
  --fault 'kore/upload:status=503,retry-after=1,probability=0.03,times=0' \
  --fault 'kore/upload:status=429,retry-after=1,probability=0.03,times=0' \
  --fault 'kore/upload:status=503,probability=0.02,times=0' \
  --fault 'kore/upload:status=500,probability=0.01,times=0' \
  --fault 'kore/upload:status=422,probability=0.02,times=0' \
  --fault 'kore/upload:drop=200,probability=0.02,times=0' \
  --fault 'kore/upload:store-fail,probability=0.02,times=0' \
  --fault 'kore/upload:store-fail,status=502,probability=0.02,times=0' \
  --fault 'kore/upload:store-drop,probability=0.03,times=0' \
  --fault 'kore/upload:delay=1500,probability=0.01,times=0' \
  --fault 'kore/start:status=503,retry-after=1,probability=0.1,times=0' \
  --fault 'kore/chunk:status=500,probability=0.05,times=0' \
  --fault 'kore/chunk:drop=100000,probability=0.05,times=0' \
  --fault 'kore/complete:store-drop,probability=0.15,times=0' \
  --fault 'kore/complete:store-fail,status=504,probability=0.1,times=0' \
  --fault 'kore/complete:status=503,retry-after=1,probability=0.1,times=0'
soak_start_sandbox "$@"

# -- send, in batches; each run bounded in time ------------------------------
(cd "$WORK/files" && ls) >"$WORK/names"
split -l "$BATCH" "$WORK/names" "$WORK/batch-"
for batch in "$WORK"/batch-*; do
  # exit status 1 (some failed) and 3 (some unknown) are expected here
  (cd "$WORK/files" && xargs timeout 900 "$CLI" upload -p kore -j "$JOBS" --json \
     <"$batch" >"$WORK/out/$(basename "$batch").jsonl" 2>>"$WORK/cli.err") || true
done

# -- what the sandbox stored ---------------------------------------------------
curl -sf "$URL/_sandbox/received" >"$WORK/received.json"
elapsed=$(( $(date +%s) - started ))

python3 - "$WORK" "$elapsed" <<'EOF'
import glob, hashlib, json, os, sys
work, elapsed = sys.argv[1], int(sys.argv[2])
reported = {}
for path in sorted(glob.glob(os.path.join(work, "out", "*.jsonl"))):
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                o = json.loads(line)
                reported[o["file"]] = o
stored = {}
for r in json.load(open(os.path.join(work, "received.json"))):
    if r.get("operation") in ("upload", "complete"):
        stored.setdefault(r["file_name"], []).append(r["sha256"])
S = F = U = L = D = 0
problems = []
names = sorted(os.listdir(os.path.join(work, "files")))
for name in names:
    h = hashlib.sha256()
    with open(os.path.join(work, "files", name), "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    sha = h.hexdigest()
    copies = stored.get(name, [])
    right = sum(1 for s in copies if s == sha)
    wrong = len(copies) - right
    status = reported.get(name, {}).get("status", "missing")
    if len(copies) > 1:
        D += 1; problems.append((name, status, "stored %d times" % len(copies)))
    elif wrong:
        L += 1; problems.append((name, status, "stored with other bytes"))
    elif status == "done":
        if right == 1: S += 1
        else: L += 1; problems.append((name, status, "reported sent, not stored"))
    elif status == "unknown":
        U += 1
    else:
        if right == 0: F += 1
        else: L += 1; problems.append((name, status, "reported %s, yet stored" % status))
for p in problems[:20]:
    print("soak: %s: %s (%s)" % p, file=sys.stderr)
print("soak: %d small and large uploads in %d s" % (len(names), elapsed), file=sys.stderr)
print("soak: %d uploads, %d stored once, %d failed, %d outcome unknown, %d lost, %d duplicated"
      % (len(names), S, F, U, L, D))
sys.exit(1 if L or D else 0)
EOF

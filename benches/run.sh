#!/usr/bin/env bash
# Benchmarks of charter (BENCHMARKS.md): builds the release binary and the
# repository generator, writes synthetic repositories into a temporary
# directory, and times charter side by side with git, ssh-keygen,
# difftastic and graphtage using hyperfine. Results are markdown tables in
# the output directory; summary.md has them all.
#
#   benches/run.sh                 # everything (about 20 minutes on 2 cores)
#   benches/run.sh --only diff     # some sections, comma-separated: diff, log, scale, verify, commit-graph
#   benches/run.sh --quick         # small sizes, no graphtage: a smoke test of the script
#   benches/run.sh --keep          # keep the generated repositories
#   benches/run.sh --out DIR       # where the tables go (default: a new temporary directory)
#   benches/run.sh --profile dist  # build with another cargo profile (default: release;
#                                  # dist is what the release workflow publishes)
#
# Sizes can be changed with BENCH_AGREEMENTS (1000), BENCH_VERSIONS (10),
# BENCH_LOG_AGREEMENTS (500, i.e. 10,001 commits), BENCH_GOALS (500) and
# BENCH_SSH_SAMPLE (200). Missing tools are installed: hyperfine and GNU
# time with apt-get, difftastic with cargo install, graphtage with pip.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ONLY=""
QUICK=0
KEEP=0
OUT=""
PROFILE=release
while [ $# -gt 0 ]; do
    case "$1" in
        --only) ONLY=$2; shift 2 ;;
        --quick) QUICK=1; shift ;;
        --keep) KEEP=1; shift ;;
        --out) OUT=$2; shift 2 ;;
        --profile) PROFILE=$2; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

AGREEMENTS=${BENCH_AGREEMENTS:-1000}
VERSIONS=${BENCH_VERSIONS:-10}
LOG_AGREEMENTS=${BENCH_LOG_AGREEMENTS:-500}
GOALS=${BENCH_GOALS:-500}
SSH_SAMPLE=${BENCH_SSH_SAMPLE:-200}
if [ "$QUICK" = 1 ]; then
    AGREEMENTS=40 VERSIONS=3 LOG_AGREEMENTS=20 GOALS=50 SSH_SAMPLE=10
fi
# charter judges states as of this day; the generator dates the pull request
# of the scale repository from it.
export CHARTER_TODAY=${BENCH_TODAY:-2026-01-01}
export NO_COLOR=1
# git and charter see the generated repositories only, not the user's settings.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_PAGER=cat
export PATH="$HOME/.cargo/bin:$PATH"

section() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }
have() { command -v "$1" >/dev/null 2>&1; }
log() { printf '\n== %s\n' "$*" >&2; }

apt_install() {
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq "$@" >/dev/null
    elif have sudo; then
        sudo apt-get update -qq && sudo apt-get install -y -qq "$@" >/dev/null
    else
        echo "run.sh: please install $* (apt-get install $*)" >&2
        exit 2
    fi
}

log "tools"
have hyperfine || apt_install hyperfine
[ -x /usr/bin/time ] || apt_install time
have git || apt_install git
have ssh-keygen || apt_install openssh-client
if [ "$QUICK" = 0 ] && { section diff; }; then
    have difft || cargo install difftastic --locked
    have graphtage || python3 -m pip install --quiet graphtage
fi

log "build ($PROFILE)"
(cd "$ROOT" && cargo build --profile "$PROFILE" --quiet --bin charter --example gen-repo)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
CHARTER=$TARGET/$PROFILE/charter
GEN=$TARGET/$PROFILE/examples/gen-repo

WORK=$(mktemp -d "${TMPDIR:-/tmp}/charter-bench.XXXXXX")
cleanup() {
    if [ "$KEEP" = 1 ]; then echo "run.sh: repositories kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
[ -n "$OUT" ] || OUT=$(mktemp -d "${TMPDIR:-/tmp}/charter-bench-results.XXXXXX")
mkdir -p "$OUT"

# hyperfine with the settings every table shares; at least 3 runs each,
# more for fast commands (hyperfine's 3-second budget).
bench() {
    local name=$1
    shift
    hyperfine --style basic --min-runs "${MIN_RUNS:-3}" --export-markdown "$OUT/$name.md" \
        --export-json "$OUT/$name.json" "$@" >&2
}

# Wall time and peak resident memory of one run, as a table row.
memory_row() {
    local label=$1
    shift
    local stats
    stats=$(mktemp)
    /usr/bin/time -f '%e %M %x' -o "$stats" "$@" >/dev/null 2>&1 || true
    read -r secs kib code <"$stats"
    rm -f "$stats"
    awk -v l="$label" -v s="$secs" -v k="$kib" -v c="$code" \
        'BEGIN { printf "| `%s` | %s | %.1f | %s |\n", l, s, k / 1024, c }'
}

# Generate, then pack as a clone would be (one pack, no commit-graph).
generate() {
    local dir=$1
    shift
    "$GEN" --out "$dir" "$@"
    git -C "$dir" repack -adq
}

{
    echo "# charter benchmarks"
    echo
    echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "- commit: $(git -C "$ROOT" rev-parse --short HEAD), cargo profile $PROFILE"
    echo "- machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) memory"
    echo "- tools: $(hyperfine --version), $(git --version), $(ssh -V 2>&1)$(have difft && echo ", difftastic $(difft --version | head -1 | awk '{print $2}')")$(have graphtage && echo ", graphtage $(graphtage --version 2>&1 | tail -1)")"
    echo "- CHARTER_TODAY=$CHARTER_TODAY"
} >"$OUT/summary.md"

if section diff; then
    log "diff: one agreement with $GOALS goals, two versions"
    D=$WORK/diff
    # Quoted dates: graphtage reads YAML 1.1 (PyYAML), which makes date
    # objects of unquoted dates and then refuses them. charter reads the
    # same data either way.
    generate "$D" --agreements 1 --versions 2 --goals "$GOALS" --no-signoffs --quote-dates
    git -C "$D" show HEAD~1:agreements/mentoring-00000.yaml >"$WORK/old.yaml"
    git -C "$D" show HEAD:agreements/mentoring-00000.yaml >"$WORK/new.yaml"
    lines=$(wc -l <"$WORK/new.yaml")
    # Each tool must work before it is timed (graphtage exits 1 on differences).
    (cd "$D" && "$CHARTER" diff HEAD~1 HEAD >/dev/null)
    cmds=(-n "charter diff HEAD~1 HEAD" "$CHARTER diff HEAD~1 HEAD")
    if have difft; then
        difft "$WORK/old.yaml" "$WORK/new.yaml" >/dev/null
        cmds+=(-n "difft old.yaml new.yaml" "difft $WORK/old.yaml $WORK/new.yaml")
    fi
    if [ "$QUICK" = 0 ] && have graphtage; then
        graphtage --no-status "$WORK/old.yaml" "$WORK/new.yaml" >/dev/null || [ $? = 1 ]
        cmds+=(-n "graphtage old.yaml new.yaml" "graphtage --no-status $WORK/old.yaml $WORK/new.yaml")
    fi
    # No warmup: graphtage takes minutes a run; hyperfine's budget still
    # gives the fast tools many runs.
    (cd "$D" && bench diff -N --ignore-failure "${cmds[@]}")
    {
        echo
        echo "## diff: two versions of one agreement, $GOALS goals ($lines lines)"
        echo
        cat "$OUT/diff.md"
    } >>"$OUT/summary.md"
fi

if section log; then
    commits=$((LOG_AGREEMENTS * VERSIONS * 2 + 1))
    log "log: $LOG_AGREEMENTS agreements × $VERSIONS versions, $commits commits"
    L=$WORK/log
    generate "$L" --agreements "$LOG_AGREEMENTS" --versions "$VERSIONS" --no-checkout
    id=$(printf 'mentoring-%05d' $((LOG_AGREEMENTS / 2)))
    (cd "$L" && "$CHARTER" log "$id" >/dev/null)
    (cd "$L" && bench log -N --warmup 1 \
        -n "charter log $id" "$CHARTER log $id" \
        -n "git log --format=%H -- agreements/$id.yaml" "git log --format=%H -- agreements/$id.yaml")
    {
        echo
        echo "## log: one agreement's history in $commits commits"
        echo
        cat "$OUT/log.md"
    } >>"$OUT/summary.md"
fi

S=$WORK/scale
if section scale || section verify || section commit-graph; then
    log "scale: $AGREEMENTS agreements × $VERSIONS versions"
    generate "$S" --agreements "$AGREEMENTS" --versions "$VERSIONS" --pr-branch pr \
        --today "$CHARTER_TODAY" --sshsig-sample "$WORK/sshsig" --sample-size "$SSH_SAMPLE"
    SIGNOFFS=$((AGREEMENTS * VERSIONS * 2))
    COMMITS=$((SIGNOFFS + 1))
    ID=$(printf 'mentoring-%05d' $((AGREEMENTS / 2)))
fi

if section scale; then
    # "cold": no stored history index (.git/charter removed before each
    # run); "warm": the index of main stored, as `charter index` leaves it.
    PR_ID=mentoring-00000
    PR_PATHS="agreements/$PR_ID.yaml signoffs/$PR_ID"
    COLD="rm -rf .git/charter"
    WARM="$CHARTER index"
    (cd "$S" && rm -rf .git/charter && "$CHARTER" check >/dev/null \
        && "$CHARTER" check --base main --head pr >/dev/null \
        && "$CHARTER" verify >/dev/null && "$CHARTER" validate >/dev/null 2>&1)
    (cd "$S" && bench scale -N \
        -n "git log --name-only" -p true "git log --name-only" \
        -n "git rev-list --first-parent main" -p true "git rev-list --first-parent main" \
        -n "git log -- $PR_PATHS" -p true "git log -- $PR_PATHS" \
        -n "charter check (cold)" -p "$COLD" "$CHARTER check" \
        -n "charter check (warm)" -p "$WARM" "$CHARTER check" \
        -n "charter check --base main --head pr (cold)" -p "$COLD" "$CHARTER check --base main --head pr" \
        -n "charter check --base main --head pr (warm)" -p "$WARM" "$CHARTER check --base main --head pr" \
        -n "charter verify (cold)" -p "$COLD" "$CHARTER verify" \
        -n "charter verify (warm)" -p "$WARM" "$CHARTER verify" \
        -n "charter status (warm)" -p "$WARM" "$CHARTER status" \
        -n "charter validate" -p true "$CHARTER validate" \
        -n "charter log $ID (cold)" -p "$COLD" "$CHARTER log $ID" \
        -n "charter log $ID (warm)" -p "$WARM" "$CHARTER log $ID" \
        -n "git log --format=%H -- agreements/$ID.yaml" -p true "git log --format=%H -- agreements/$ID.yaml")
    (
        echo
        echo "| command | wall s | peak RSS MiB | exit |"
        echo "|:---|---:|---:|---:|"
        cd "$S"
        memory_row "git log --name-only" git log --name-only
        rm -rf .git/charter
        memory_row "charter check (cold)" "$CHARTER" check
        memory_row "charter check (warm)" "$CHARTER" check
        rm -rf .git/charter
        memory_row "charter check --base main --head pr (cold)" "$CHARTER" check --base main --head pr
        "$CHARTER" index >/dev/null
        memory_row "charter check --base main --head pr (warm)" "$CHARTER" check --base main --head pr
        rm -rf .git/charter
        memory_row "charter verify (cold)" "$CHARTER" verify
        memory_row "charter verify (warm)" "$CHARTER" verify
        memory_row "charter validate" "$CHARTER" validate
        memory_row "charter log $ID (warm)" "$CHARTER" log "$ID"
    ) >"$OUT/scale-memory.md"
    {
        echo
        echo "## scale: $AGREEMENTS agreements × $VERSIONS versions, $SIGNOFFS sign-offs, $COMMITS commits"
        echo
        cat "$OUT/scale.md"
        echo
        echo "Peak memory (one run each, GNU time):"
        cat "$OUT/scale-memory.md"
    } >>"$OUT/summary.md"
fi

if section verify; then
    n=$(grep -c '^ssh-keygen' "$WORK/sshsig/verify.sh")
    log "verify: charter verify of $SIGNOFFS sign-offs against $n ssh-keygen processes"
    sh "$WORK/sshsig/verify.sh"
    # Ten runs each after a warm-up: a single slow run on a shared machine
    # moves the ratio more than any change to the code does.
    (cd "$S" && MIN_RUNS=10 bench verify -N --warmup 1 \
        -n "charter verify ($SIGNOFFS sign-offs)" "$CHARTER verify" \
        -n "ssh-keygen -Y verify, one process per sign-off ($n sign-offs)" "sh $WORK/sshsig/verify.sh")
    python3 - "$OUT/verify.json" "$SIGNOFFS" "$n" >"$OUT/verify-per-signoff.md" <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
charter, ssh = results[0]["mean"], results[1]["mean"]
total, sample = int(sys.argv[2]), int(sys.argv[3])
per_charter, per_ssh = charter / total, ssh / sample
print(f"| verifier | per sign-off | for {total:,} sign-offs |")
print("|:---|---:|---:|")
print(f"| charter verify (measured over all {total:,}) | {per_charter * 1e3:.3f} ms | {charter:.2f} s |")
print(f"| ssh-keygen -Y verify (measured on {sample}, extrapolated) | {per_ssh * 1e3:.2f} ms | {per_ssh * total:.1f} s |")
print()
print(f"charter is {per_ssh / per_charter:.1f}× faster per sign-off (target: 100×).")
EOF
    {
        echo
        echo "## verify: $SIGNOFFS sign-offs against one ssh-keygen process per sign-off"
        echo
        cat "$OUT/verify.md"
        echo
        cat "$OUT/verify-per-signoff.md"
    } >>"$OUT/summary.md"
fi

if section commit-graph; then
    log "commit-graph: git log with changed-path Bloom filters"
    git -C "$S" commit-graph write --reachable --changed-paths
    (cd "$S" && bench commit-graph -N \
        -n "git log --format=%H -- agreements/$ID.yaml (commit-graph)" "git log --format=%H -- agreements/$ID.yaml" \
        -n "git log --name-only (commit-graph)" "git log --name-only" \
        -n "charter log $ID (commit-graph present)" "$CHARTER log $ID")
    rm -f "$S/.git/objects/info/commit-graph"
    rm -rf "$S/.git/objects/info/commit-graphs"
    {
        echo
        echo "## scale repository with a commit-graph and changed-path Bloom filters"
        echo
        cat "$OUT/commit-graph.md"
    } >>"$OUT/summary.md"
fi

log "done"
cat "$OUT/summary.md"
echo >&2
echo "run.sh: tables in $OUT" >&2

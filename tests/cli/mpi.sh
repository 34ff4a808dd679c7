# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# neardup-mpi against neardup: `mpirun -np R neardup-mpi scan` writes the
# same bytes as `neardup scan` for R = 1, 2 and 4 on the committed sample
# (jsonl, csv; text but for its seconds), on a generated corpus (ndgen),
# on ../shared's seeds and gov-reports when present, and on the hostile
# corpus of lib.sh (five encodings, an invalid byte); with tiny shuffle rounds (ND_MPI_ROUND) the
# bytes stay the same; a missing input is reported and gives exit status
# 2 like the single-process tool; a rank killed mid-run fails the job
# instead of hanging it.  Skips when mpirun is not installed.
# Usage: sh mpi.sh NEARDUP NEARDUP-MPI NDGEN

. "$(dirname "$0")/lib.sh"
MPI=${2:?usage: sh mpi.sh NEARDUP NEARDUP-MPI NDGEN}
GEN=${3:?usage: sh mpi.sh NEARDUP NEARDUP-MPI NDGEN}
S=$(cd "$(dirname "$0")/../../corpus/sample" && pwd) || fail "no sample"
if ! command -v mpirun >/dev/null 2>&1; then
    echo "SKIP: mpirun not found (install openmpi-bin)"
    exit 77
fi
# Under AddressSanitizer, leak checking is off for the ranks: Open MPI
# keeps allocations in components it unloads at exit, which LeakSanitizer
# cannot name or suppress.  Memory errors still abort a rank.
MPIRUN="env ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 mpirun --oversubscribe"
[ "$(id -u)" -eq 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"
# No network in test set-ups: ranks talk over shared memory and loopback.
export OMPI_MCA_btl=self,vader,tcp OMPI_MCA_btl_tcp_if_include=lo
export OMPI_MCA_oob_tcp_if_include=lo

# same_as_single NAME ARGS...: neardup-mpi with 1, 2 and 4 ranks writes
# the bytes and exits with the status of neardup scan ARGS.
same_as_single() {
    name=$1
    shift
    run "$ND" scan "$@"
    want=$rc
    cp "$T/out" "$T/want"
    for np in 1 2 4; do
        run $MPIRUN -np $np "$MPI" scan "$@"
        [ "$rc" -eq "$want" ] ||
            fail "$name: -np $np exit status $rc, neardup $want"
        cmp -s "$T/out" "$T/want" ||
            fail "$name: -np $np output differs from neardup scan"
    done
}

same_as_single sample --format jsonl "$S"/*.txt
grep -q '"type":"passage"' "$T/want" || fail "sample gives no passage"
same_as_single sample-csv --format csv --records passages "$S"

# Text: the same but for the wall seconds on its first line.
run "$ND" scan --color never "$S"
sed '1s/, [0-9.]* s$//' "$T/out" >"$T/want"
run $MPIRUN -np 2 "$MPI" scan --color never "$S"
expect_status 0 "text"
sed '1s/, [0-9.]* s$//' "$T/out" | cmp -s - "$T/want" ||
    fail "text output differs beyond the seconds"
grep -q "^53 documents" "$T/want" || fail "text summary line changed?"

"$GEN" --out "$T/gen" --size-mb 1 --seed 3 >/dev/null 2>&1 ||
    fail "ndgen failed"
rm -f "$T/gen"/*.json "$T/gen"/*.jsonl "$T/gen"/*.tsv
same_as_single generated --format jsonl "$T/gen"
grep -q '"type":"boilerplate"\|"type":"cluster"' "$T/want" ||
    fail "generated corpus gives no boilerplate or cluster"

# The shared test corpora (../shared next to the repository), when present.
SH=$(cd "$(dirname "$0")/../../../shared" 2>/dev/null && pwd) || SH=
if [ -n "$SH" ] && [ -d "$SH/seeds" ]; then
    same_as_single seeds --format jsonl "$SH/seeds"
else
    echo "note: ../shared/seeds not found, skipping the seed speeches"
fi
if [ -n "$SH" ] && [ -d "$SH/corpora/gov-reports-1954-2015" ]; then
    same_as_single gov-reports --split none --format jsonl \
        "$SH/corpora/gov-reports-1954-2015"
else
    echo "note: ../shared/corpora/gov-reports-1954-2015 not found, skipping"
fi

hostile_corpus "$T/h"
same_as_single hostile --format jsonl "$T/h"
[ "$rc" -eq 2 ] || fail "hostile corpus: the invalid byte should give 2"
grep -q "evil.txt" "$T/err" || fail "hostile: no message naming evil.txt"

# Tiny rounds: many Alltoallv rounds, the same bytes.
run "$ND" scan --format jsonl "$S"
cp "$T/out" "$T/want"
export ND_MPI_ROUND=64
run $MPIRUN -np 2 -x ND_MPI_ROUND "$MPI" scan --stats --format jsonl "$S"
unset ND_MPI_ROUND
expect_status 0 "small rounds"
cmp -s "$T/out" "$T/want" || fail "small rounds change the output"
"$PY" - "$T/err" <<'PYEOF' || fail "mpi_stats line"
import json, sys
st = [json.loads(l) for l in open(sys.argv[1]) if '"mpi_stats"' in l]
if len(st) != 1 or st[0]["ranks"] != 2 or st[0]["rounds"] < 10:
    sys.exit("want one mpi_stats line, 2 ranks, many rounds: %r" % st)
PYEOF

# A missing input: named on standard error, exit 2, the rest reported.
same_as_single missing --format jsonl "$S/d000000.txt" "$T/nope.txt" "$S"
grep -q "nope.txt" "$T/err" || fail "missing input not named"

# Bad usage fails fast instead of hanging.
run $MPIRUN -np 2 "$MPI" scan
expect_status 2 "no input"
run $MPIRUN -np 2 "$MPI" scan -
expect_status 2 "standard input"
grep -q "standard input" "$T/err" || fail "no message about -"
# A rank that dies (SIGKILL after signing, while the others wait in the
# shuffle) ends the job with a failure and a message, not a hang.
export ND_MPI_TEST_KILL_RANK=1
run timeout 120 $MPIRUN -np 2 -x ND_MPI_TEST_KILL_RANK "$MPI" scan \
    --format jsonl "$S"
unset ND_MPI_TEST_KILL_RANK
[ "$rc" -ne 0 ] || fail "a killed rank left exit status 0"
[ "$rc" -ne 124 ] || fail "a killed rank made the job hang"
grep -q "rank 1" "$T/err" || fail "no message naming the dead rank"
echo "mpi: all checks passed"

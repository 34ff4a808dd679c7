# SPDX-License-Identifier: MIT
# Copyright (c) 2026 the neardup authors
#
# neardup-mpi against neardup: `mpirun -np R neardup-mpi scan` writes the
# same bytes as `neardup scan` for R = 1, 2 and 4 on the committed sample
# (jsonl, csv; text but for its seconds), on a generated corpus (ndgen),
# on ../shared's seeds and gov-reports when present, and on the hostile
# corpus of lib.sh (five encodings, an invalid byte); CSV passages and
# PAN (located through the owning ranks); with tiny shuffle, fetch and
# report rounds (ND_MPI_ROUND, ND_MPI_FETCH_BYTES) the bytes stay the
# same; for jsonl rank 0 receives metadata and quotes, not the corpus; a missing input is reported and gives exit status
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
grep -q "^48 documents" "$T/want" || fail "text summary line changed?"

"$GEN" --out "$T/gen" --size-mb 1 --seed 3 >/dev/null 2>&1 ||
    fail "ndgen failed"
rm -f "$T/gen"/*.json "$T/gen"/*.jsonl "$T/gen"/*.tsv
same_as_single generated --format jsonl "$T/gen"
grep -q '"type":"boilerplate"\|"type":"cluster"' "$T/want" ||
    fail "generated corpus gives no boilerplate or cluster"
# Two short files at R = 4: ranks without a document, nothing fetched.
mkdir -p "$T/two"
printf '%s\n' "甲乙丙丁" >"$T/two/a.txt"
printf '%s\n' "戊己庚辛" >"$T/two/b.txt"
same_as_single two-files --format csv --records passages "$T/two"

# CSV passages carry line:column, asked of the rank that read the file.
same_as_single generated-csv --format csv --records passages "$T/gen"

# PAN: one file per pair of files, located; the same files at R = 2.
run "$ND" scan --format pan -o "$T/pan1" "$T/gen"
expect_status 0 "pan"
run $MPIRUN -np 2 "$MPI" scan --format pan -o "$T/pan2" "$T/gen"
expect_status 0 "pan, 2 ranks"
diff -r "$T/pan1" "$T/pan2" >/dev/null || fail "pan output differs"
[ -n "$(ls "$T/pan1")" ] || fail "pan wrote nothing"

# Tiny fetch and report rounds (one document per fetch round between two
# ranks, so a rank receives from two owners per round at R = 3; 7
# questions per report round, so that a passage's two sides are answered
# in different rounds): the same bytes, line:column included.
run "$ND" scan --format csv --records passages "$T/gen"
cp "$T/out" "$T/want"
export ND_MPI_ROUND=7 ND_MPI_FETCH_BYTES=1
run $MPIRUN -np 3 -x ND_MPI_ROUND -x ND_MPI_FETCH_BYTES "$MPI" scan \
    --stats --format csv --records passages "$T/gen"
unset ND_MPI_ROUND ND_MPI_FETCH_BYTES
expect_status 0 "small fetch rounds"
cmp -s "$T/out" "$T/want" || fail "small fetch rounds change the output"
cp "$T/err" "$T/err.jsonl"
# Rank 0 holds metadata, not the corpus: for CSV the report moves a
# small part of what text format (which gathers every document) moves.
run $MPIRUN -np 2 "$MPI" scan --stats --format text "$T/gen"
expect_status 0 "text, 2 ranks"
"$PY" - "$T/err.jsonl" "$T/err" <<'PYEOF' || fail "report bytes"
import json, sys
def stats(f):
    st = [json.loads(l) for l in open(f) if '"mpi_stats"' in l]
    assert len(st) == 1, st
    return st[0]
j, t = stats(sys.argv[1]), stats(sys.argv[2])
if j["rounds"] < 50:
    sys.exit("want many rounds with tiny rounds: %r" % j)
if not 0 < j["report_bytes"] * 5 < t["report_bytes"]:
    sys.exit("csv report moved %d bytes, text %d: corpus gathered?"
             % (j["report_bytes"], t["report_bytes"]))
PYEOF

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

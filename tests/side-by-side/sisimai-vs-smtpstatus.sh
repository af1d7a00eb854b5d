#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The smtpstatus developers
#
# Sisimai and smtpstatus over the same .eml files: bounces/s, MB/s, what each
# found, and the ratio. See README.md next to this script.
#
#   sisimai-vs-smtpstatus.sh [--rounds N] [--no-bench] [--diff]
#                            [SMTPSTATUS_BINARY [DIR_OR_FILE...]]
#
# Defaults: build/examples/smtpstatus and ../shared/corpus/emails/bsd, both
# relative to the source root. Exit status: 0 done, 1 failure, 2 usage,
# 77 skipped (no Sisimai 4.x for Perl, or no input files).
set -euo pipefail
export LC_ALL=C

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
root=$(cd -- "$here/../.." && pwd)
prog=${0##*/}
corpus=$root/../shared/corpus/emails/bsd
[[ -d $corpus ]] && corpus=$(cd -- "$corpus" && pwd)

usage() {
    cat <<EOF
usage: $prog [--rounds N] [--no-bench] [--diff] [SMTPSTATUS_BINARY [DIR_OR_FILE...]]

  --rounds N   timed passes over the files for each tool (default 10)
  --no-bench   do not run the in-memory benchmark (tests/bench/bench)
  --diff       also list the files where the two found different counts

A directory stands for the *.eml files directly inside it. Defaults:
$root/build/examples/smtpstatus
$corpus
EOF
}

die() { echo "$prog: $*" >&2; exit 1; }
skip() { echo "$prog: SKIP: $*" >&2; exit 77; }

rounds=10
bench_run=1
diff=0
while (($#)); do
    case $1 in
    --rounds)
        (($# >= 2)) || { usage >&2; exit 2; }
        rounds=$2
        shift 2
        ;;
    --rounds=*) rounds=${1#--rounds=}; shift ;;
    --no-bench) bench_run=0; shift ;;
    --diff) diff=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; break ;;
    -*) usage >&2; exit 2 ;;
    *) break ;;
    esac
done
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "$prog: --rounds wants a positive integer" >&2; exit 2; }

bin=${1:-$root/build/examples/smtpstatus}
(($#)) && shift
inputs=("$@")
((${#inputs[@]})) || inputs=("$corpus")
where=${inputs[*]}
((${#where} <= 60)) || where="${inputs[0]} and $((${#inputs[@]} - 1)) more"

[[ -x $bin && ! -d $bin ]] || { echo "$prog: $bin: no smtpstatus binary there (build first, or name one)" >&2; exit 2; }
perl -MSisimai -MSisimai::Message -MSisimai::Data -e 1 2>/dev/null ||
    skip "Perl's Sisimai 4.x is not installed (Debian: apt-get install libsisimai-perl)"

files=()
for arg in "${inputs[@]}"; do
    if [[ -d $arg ]]; then
        mapfile -d '' -t found < <(find "$arg" -maxdepth 1 -type f -name '*.eml' -print0 | sort -z)
        files+=("${found[@]}")
    elif [[ -f $arg ]]; then
        files+=("$arg")
    else
        echo "$prog: $arg: no such file or directory, ignored" >&2
    fi
done
((${#files[@]})) || skip "no .eml files in: ${inputs[*]}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sisimai-vs-smtpstatus.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

now() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then
        echo "$EPOCHREALTIME"
    else
        date +%s.%N
    fi
}

# key=value lines from sisimai-rate.pl.
sis=$(perl "$here/sisimai-rate.pl" --rounds "$rounds" --counts "$tmp/sisimai.tsv" -- "${files[@]}") ||
    die "sisimai-rate.pl failed"
get() { sed -n "s/^$1=//p" <<<"$sis"; }
sis_version=$(get version)
sis_version=${sis_version#v}
perl_version=$(get perl)
nbytes=$(get bytes)
sis_best=$(get best)
sis_mean=$(get mean)
sis_rcpts=$(get records)
sis_msgs=$(get files_with_records)

# smtpstatus as a whole process: one untimed run kept for the counts (it also
# warms the page cache), then the timed runs. Exit 1 means some input had no
# reply or code, which is a result, not a failure.
run_smtpstatus() {
    local rc=0
    "$bin" dsn --json "${files[@]}" >"$1" 2>/dev/null || rc=$?
    ((rc <= 1)) || die "$bin dsn --json exited with $rc"
}
run_smtpstatus "$tmp/smtpstatus.json"
times=()
for ((i = 0; i < rounds; i++)); do
    start=$(now)
    run_smtpstatus /dev/null
    end=$(now)
    times+=("$start $end")
done
read -r ss_best ss_mean < <(printf '%s\n' "${times[@]}" |
    awk '{ t = $2 - $1; sum += t; if (NR == 1 || t < best) best = t }
         END { printf "%.6f %.6f\n", best, sum / NR }')
ss_version=$("$bin" --version | awk 'NR == 1 { print $2 }')

# Records per file from the JSON lines, and (--diff) the files where the two
# tools disagree.
counts=$(perl -MJSON::PP -e '
    my ($json, $tsv, $diff) = @ARGV;
    my (%ss, $records);
    open(my $in, "<", $json) or die "$json: $!\n";
    while (<$in>) {
        my $r = JSON::PP::decode_json($_);
        $ss{ $r->{file} }++;
        $records++;
    }
    printf "%d %d\n", $records // 0, scalar keys %ss;
    exit 0 unless $diff;
    open(my $t, "<", $tsv) or die "$tsv: $!\n";
    while (<$t>) {
        chomp;
        my ($n, $path) = split /\t/, $_, 2;
        my $m = $ss{$path} // 0;
        printf "  %s: sisimai %d, smtpstatus %d\n", $path, $n, $m if $n != $m;
    }' "$tmp/smtpstatus.json" "$tmp/sisimai.tsv" "$diff")
read -r ss_rcpts ss_msgs <<<"${counts%%$'\n'*}"

# The in-memory figure: tests/bench/bench reads *.eml from one directory, so
# give it links to exactly these files.
bench=$(dirname -- "$bin")/../tests/bench/bench
bench_line=
if ((bench_run)) && [[ -x $bench ]]; then
    mkdir "$tmp/bench"
    i=0
    for f in "${files[@]}"; do
        ln -s -- "$(readlink -f -- "$f")" "$tmp/bench/$i.eml"
        i=$((i + 1))
    done
    # Short runs, the fastest kept, like the rounds above.
    for ((i = 0; i < rounds; i++)); do
        "$bench" "$tmp/bench" 0.3 dsn | grep '^dsn parse' || true
    done >"$tmp/bench.txt"
    bench_line=$(sort -k5,5nr "$tmp/bench.txt" | head -n 1)
fi

awk -v n="${#files[@]}" -v bytes="$nbytes" -v rounds="$rounds" -v where="$where" \
    -v sv="$sis_version" -v pv="$perl_version" -v sb="$sis_best" -v sa="$sis_mean" \
    -v sr="$sis_rcpts" -v sm="$sis_msgs" \
    -v tv="$ss_version" -v tb="$ss_best" -v ta="$ss_mean" -v tr="$ss_rcpts" -v tm="$ss_msgs" \
    -v bench="$bench_line" '
function row(name, rate, mean, mbs, msgs, recs) {
    printf "  %-44s %10s %10s %7.1f %6s %8s\n", name, sprintf("%.0f", rate), mean, mbs, msgs, recs
}
BEGIN {
    size = bytes >= 1e5 ? sprintf("%.1f MB", bytes / 1e6) : sprintf("%.1f kB", bytes / 1e3)
    printf "%d files, %s (%s), fastest of %d rounds each\n\n", n, size, where, rounds
    printf "  %-44s %10s %10s %7s %6s %8s\n", "", "bounces/s", "(mean)", "MB/s", "files", "records"
    srate = n / sb
    row("sisimai " sv " (Perl " pv ", in-process)", srate, sprintf("%.0f", n / sa), bytes / sb / 1e6, sm, sr)
    trate = n / tb
    row("smtpstatus " tv " (whole process *)", trate, sprintf("%.0f", n / ta), bytes / tb / 1e6, tm, tr)
    if (bench != "") {
        # "dsn parse + classify   16017 bounces/s  76.8 MB/s  (405 recipients/round)"
        split(bench, f, " ")
        brate = f[5]; bmbs = f[7]; brec = f[9]; sub(/^\(/, "", brec)
        row("smtpstatus " tv " (in memory, tests/bench **)", brate, "", bmbs, "-", brec)
    }
    printf "\n  ratio smtpstatus/sisimai: %.1fx whole process", trate / srate
    if (bench != "")
        printf ", %.1fx in memory", brate / srate
    printf "\n\n"
    print "  *  `smtpstatus dsn --json FILES > /dev/null`: includes process start, reading the"
    print "     files and writing JSON; sisimai is timed on its parsing loop only, files already"
    print "     in memory and modules loaded, so the comparison favours sisimai."
    if (bench != "")
        print "  ** the project benchmark: files in memory, parse + classify; fastest of " rounds " runs of 0.3 s."
    print "  files: files with at least one record. records: one per recipient, as each tool"
    print "     reports them (sisimai leaves out \"delivered\" by default); --diff lists the files"
    print "     where the counts differ."
}'

if ((diff)); then
    echo
    echo "files where the counts differ:"
    tail -n +2 <<<"$counts"
fi

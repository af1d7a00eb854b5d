#!/bin/sh
# cgw.sh BIN TAG: instructions a reply of word_match (mode 1) and of the library's phrase scan (mode 2),
# 20 rounds x 602 vectors; run in /tmp/proto (writes cg.TAG.*)
B=$1; T=$2
for m in 0 1 2; do valgrind --tool=callgrind --callgrind-out-file=/tmp/proto/cg.$T.$m $B $m 20 >/dev/null 2>&1; done
tot() { callgrind_annotate $1 | awk '/PROGRAM TOTALS/{gsub(",","",$1);print $1}'; }
t0=$(tot cg.$T.0); t1=$(tot cg.$T.1); t2=$(tot cg.$T.2)
pm=$(callgrind_annotate --inclusive=yes cg.$T.2 | awk '/smtpstatus__phrase_more /{gsub(",","",$1);print $1; exit}')
n=12040
echo "$T: word_match/reply $(( (t1-t0)/n ))  today's scan loop/reply $(( (t2-t0)/n ))  (phrase_more incl $(( pm/n )))"

#!/bin/bash
# usage: benchmarks/vs_rg_sweep.sh [N] [QUERY ...]
#
# benchmarks/vs_rg.sh for several queries, from rare to very common, with
# each query's hits per pane and the ratio of the medians (briefing / rg):
# where `briefing search` crosses 3x ripgrep as the hits grow. N runs each
# (default 11); the queries default to words of the synthetic library from
# 75 to 30,077 hits. LIBRARY and the index as for vs_rg.sh.
n=${1:-11}; shift
queries=("$@")
[ ${#queries[@]} -eq 0 ] && queries=(transhumance bamako goita wagner region peace security mission)
lib=${LIBRARY:-/tmp/bench-lib}
here=$(cd "$(dirname "$0")/.." && pwd)
printf "%-14s %7s %7s %7s %7s %7s  %9s %9s %6s\n" query hits bluf actors timeline sources "briefing" "rg" ratio
for q in "${queries[@]}"; do
  # The pane headings ("Actors (2,344)"): a pane without hits has none.
  read -r b a t s <<< "$("$here/.venv/bin/briefing" search "$q" "$lib" | grep -v '^ ' | awk '
    {n = $NF; gsub(/[(),]/, "", n); c[$1] = n}
    END {print c["Bottom"] + 0, c["Actors"] + 0, c["Timeline"] + 0, c["Sources"] + 0}')"
  out=$("$here/benchmarks/vs_rg.sh" "$n" "$q")
  bm=$(echo "$out" | awk '$1 == "briefing" {print $3}')
  rm=$(echo "$out" | awk '$1 == "rg" {print $3}')
  printf "%-14s %7d %7s %7s %7s %7s  %6s ms %6s ms %5.1fx\n" "$q" $(( b + a + t + s )) "$b" "$a" "$t" "$s" "$bm" "$rm" "$(echo "$bm $rm" | awk '{print $1 / $2}')"
done

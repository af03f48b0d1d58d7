#!/bin/bash
# usage: benchmarks/vs_rg.sh N QUERY [briefing search options...]
#
# `rg -i QUERY LIBRARY` and `briefing search [options] QUERY LIBRARY`, run
# one after the other N times (interleaved, so both see the same load),
# stdout to /dev/null; prints the median and min wall ms of each.
# LIBRARY defaults to /tmp/bench-lib. The index is the one in your cache
# folder, or in BRIEFING_CACHE_DIR when set (search once first: the first run
# builds it). Both give the same figures: without BRIEFING_CACHE_DIR the
# folder is found as platformdirs finds it, without importing it on Linux.
n=$1; q=$2; shift 2; extra="$@"
lib=${LIBRARY:-/tmp/bench-lib}
here=$(cd "$(dirname "$0")/.." && pwd)
unset PYTHONDONTWRITEBYTECODE
t() { local s=$(date +%s%N); "$@" >/dev/null 2>&1; local e=$(date +%s%N); echo $(( (e-s)/1000000 )); }
for i in $(seq "$n"); do
  echo "rg $(t rg -i "$q" "$lib")"
  echo "briefing $(t "$here/.venv/bin/briefing" search $extra "$q" "$lib")"
done | sort -k1,1 -k2,2n | awk '{v[$1]=v[$1]" "$2} END {for (k in v) {n=split(substr(v[k],2),a," "); printf "%-9s median %4d  min %4d  (n=%d)\n", k, a[int((n+1)/2)], a[1], n}}'

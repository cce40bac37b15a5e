#!/usr/bin/env bash
# Host CPU per unit of work of two `ozzi` builds on the same benchmark, runs alternating: the VM's speed drifts
# by a quarter within an hour, so only builds measured side by side compare. Prints each run's figure and the
# medians.
#   email: bench/email.sh [recipients, default 20000], host CPU per email with its provider events
#   forms: bench/forms.sh [submissions, default 10000], host CPU per submission (its workflow sharing the core)
# Usage: bench/ab.sh email|forms BEFORE_BINARY AFTER_BINARY [rounds] [size]
set -euo pipefail
kind=$1; before=$2; after=$3; rounds=${4:-3}
case "$kind" in
  email) size=${5:-20000}; unit="us per email (events included)"
         pattern='s/.*-> \([0-9]*\) us per email, events included.*/\1/p' ;;
  forms) size=${5:-10000}; unit="us per submission"
         pattern='s/^POST \/forms\/submit:.*-> \([0-9]*\) us each.*/\1/p' ;;
  *) echo "usage: bench/ab.sh email|forms BEFORE_BINARY AFTER_BINARY [rounds] [size]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq "$rounds"); do
  for build in before after; do
    binary=$before; [ "$build" = after ] && binary=$after
    figure=$(OZZI_BINARY=$binary bash "bench/$kind.sh" "$size" 2>/dev/null | sed -n "$pattern")
    echo "round $round $build: $figure $unit"
    echo "$build $figure" >> "$results"
  done
done
for build in before after; do
  awk -v b=$build '$1 == b {print $2}' "$results" | sort -n | awk -v b=$build -v unit="$unit" '{v[NR] = $1} END {printf "%s: median %s %s\n", b, v[int((NR + 1) / 2)], unit}'
done

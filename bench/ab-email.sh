#!/usr/bin/env bash
# Host CPU per email of two `ozzi` builds on the same campaign (bench/email.sh), runs alternating: the VM's
# speed drifts by a quarter within an hour, so only builds measured side by side compare. Prints each
# run's host CPU per email (events included) and the medians.
# Usage: bench/ab-email.sh BEFORE_BINARY AFTER_BINARY [rounds] [recipients]
set -euo pipefail
before=$1; after=$2; rounds=${3:-3}; recipients=${4:-20000}
cd "$(dirname "$0")/.."
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for round in $(seq "$rounds"); do
  for build in before after; do
    binary=$before; [ "$build" = after ] && binary=$after
    us=$(OZZI_BINARY=$binary bash bench/email.sh "$recipients" 2>/dev/null | sed -n 's/.*-> \([0-9]*\) us per email, events included.*/\1/p')
    echo "round $round $build: $us us per email (events included)"
    echo "$build $us" >> "$results"
  done
done
for build in before after; do
  awk -v b=$build '$1 == b {print $2}' "$results" | sort -n | awk -v b=$build '{v[NR] = $1} END {printf "%s: median %s us per email\n", b, v[int((NR + 1) / 2)]}'
done

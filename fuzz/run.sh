#!/usr/bin/env bash
# Builds a fuzz target with libFuzzer and AddressSanitizer and runs it for a while on a copy of its corpus.
#
# Usage: fuzz/run.sh http|websocket SECONDS [extra libFuzzer flags]
#   FUZZ_KEEP=1      merge new corpus entries back into fuzz/corpus/TARGET (otherwise the repo stays clean)
#   FUZZ_WORK=DIR    where the working corpus, artifacts and log go (default: a new temp folder)
#   FUZZ_NO_ASAN=1   libFuzzer alone, for a toolchain without AddressSanitizer's runtime
# Prints the executions and exec/s; exits non-zero on a crash, naming the saved input.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH

target=${1:?usage: fuzz/run.sh http|websocket SECONDS}
seconds=${2:?usage: fuzz/run.sh http|websocket SECONDS}
shift 2
case "$target" in http | websocket) ;; *) echo "run.sh: unknown target '$target' (http, websocket)" >&2; exit 2 ;; esac

sanitizers=fuzzer,address
[ "${FUZZ_NO_ASAN:-}" = 1 ] && sanitizers=fuzzer
# Its own scratch folder: the main build (.build) never gets sanitizer flags or these targets.
scratch=.build-fuzz
[ "$sanitizers" = fuzzer ] && scratch=.build-fuzz-noasan
work=${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/ozzi-fuzz-$target.XXXXXX")}
mkdir -p "$work/corpus" "$work/artifacts"
cp fuzz/corpus/"$target"/* "$work/corpus/"

start=$(date +%s)
if ! swift build --package-path fuzz --scratch-path "$scratch" -c debug -Xswiftc -sanitize=$sanitizers \
  --product "fuzz-$target" > "$work/build.log" 2>&1; then
  grep -E "error" "$work/build.log" | grep -v "Cannot export" | head -20 >&2
  echo "run.sh: the build failed (log: $work/build.log)" >&2
  exit 1
fi
binary="$scratch/debug/fuzz-$target"
echo "fuzz $target: built in $(( $(date +%s) - start )) s"

dict=()
[ -f "fuzz/$target.dict" ] && dict=(-dict="fuzz/$target.dict")

# Swift's own backtracer would race AddressSanitizer's report; libFuzzer prints the stack.
set +e
SWIFT_BACKTRACE=enable=no "$binary" "$work/corpus" "${dict[@]}" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$@" > "$work/fuzz.log" 2>&1 < /dev/null
status=$?
set -e

runs=$(grep -o '^stat::number_of_executed_units: *[0-9]*' "$work/fuzz.log" | grep -o '[0-9]*$' || true)
speed=$(grep -o '^stat::average_exec_per_sec: *[0-9]*' "$work/fuzz.log" | grep -o '[0-9]*$' || true)
coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$work/fuzz.log" | tail -1 || true)
echo "fuzz $target: ${runs:-?} executions in ${seconds} s, ${speed:-?} exec/s, $coverage, corpus $(ls "$work/corpus" | wc -l) files (log: $work/fuzz.log)"

# A slow-unit artifact alone is not a failure: a unit that is really slow trips -timeout (10 s) and
# stops the run with a timeout artifact. One that took longer without tripping it means the process
# was not running meanwhile (a busy or paused machine), so it is replayed and reported, not failed on.
for slow in "$work"/artifacts/slow-unit-*; do
  [ -e "$slow" ] || continue
  replay_start=$(date +%s%N)
  SWIFT_BACKTRACE=enable=no timeout 60 "$binary" "$slow" > "$work/slow-replay.log" 2>&1 < /dev/null || status=1
  echo "fuzz $target: a slow unit was reported ($(grep -o 'Slowest unit: [0-9]* s' "$work/fuzz.log" | tail -1)); replayed in $(( ($(date +%s%N) - replay_start) / 1000000 )) ms: $slow"
  mkdir -p "$work/slow" && mv "$slow" "$work/slow/"
done
if [ "$status" -ne 0 ] || ls "$work/artifacts" | grep -q .; then
  grep -E "invariant failed|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|SUMMARY" "$work/fuzz.log" | head -5 >&2 || true
  for artifact in "$work"/artifacts/*; do
    [ -e "$artifact" ] && echo "fuzz $target: CRASH, input saved at $artifact (replay: $binary $artifact)" >&2
  done
  exit 1
fi
if [ "${FUZZ_KEEP:-}" = 1 ]; then
  SWIFT_BACKTRACE=enable=no "$binary" -merge=1 fuzz/corpus/"$target" "$work/corpus" > "$work/merge.log" 2>&1 < /dev/null
  echo "fuzz $target: merged new inputs into fuzz/corpus/$target"
fi
echo "fuzz $target: no crash"

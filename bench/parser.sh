#!/usr/bin/env bash
# Instructions per request spent in HTTPRequestParser (http-parser, its callbacks, the framing guard), counted
# by callgrind: repeatable whatever else the machine is doing. Builds the parser's files alone (swiftc -O -wmo)
# into a harness that feeds the same request N times on one keep-alive parser.
# Usage: bench/parser.sh [GIT-REV]   (with a revision: its parser beside the work tree's)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files="HTTPRequestParser HTTPRequestHead HTTPHeaders HTTPParseFailure HTTPToken ServerLimits HTTPFramingGuard AbsoluteTarget"

cat > "$work/main.swift" <<'SWIFT'
let n = Int(CommandLine.arguments[1])!
let text = CommandLine.arguments[2] == "get"
    ? "GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1:18787\r\nUser-Agent: wrk/4.2\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n"
    : "POST /echo HTTP/1.1\r\nHost: 127.0.0.1:18787\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
let parser = HTTPRequestParser(limits: ServerLimits())
var messages = 0
Array(text.utf8).withUnsafeBytes { raw in
    for _ in 0..<n { if case .message = parser.feed(raw) { messages += 1 } }
}
precondition(messages == n, "parsed \(messages) of \(n)")
SWIFT

build() { # label, then a command that prints a file's text given its path under Runtime/OzziRuntime/HTTP
  local label=$1; shift
  mkdir -p "$work/$label"
  for f in $files; do "$@" "Runtime/OzziRuntime/HTTP/$f.swift" > "$work/$label/$f.swift" 2>/dev/null || rm "$work/$label/$f.swift"; done
  swiftc -O -wmo -swift-version 6 -module-name Harness -I Runtime/CModules/CHTTPParser \
    "$work/main.swift" "$work/$label"/*.swift -lhttp_parser -o "$work/$label/harness"
}
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/Collected/ {print $4}'; }
report() { # label
  for kind in get post; do
    local base=$(count "$work/$1/harness" 0 $kind) total=$(count "$work/$1/harness" 100000 $kind)
    printf "%-12s %-14s %8d instructions per request\n" "$1" "$([ $kind = get ] && echo "small GET" || echo "chunked POST")" $(( (total - base) / 100000 ))
  done
}

build "work-tree" cat
[ $# -gt 0 ] && build "$1" sh -c 'git show "$0:$1"' "$1"
[ $# -gt 0 ] && report "$1"
report "work-tree"

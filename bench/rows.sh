#!/usr/bin/env bash
# Instructions per row spent turning result rows into the contacts list's `Contact` (14 columns, one of them a
# JSON object), the messages list's `Message` (20 columns) and a `Decodable` record, `APIKey` (7 columns),
# counted by callgrind: repeatable whatever else the machine is doing. Builds the SQL binding's row files, the JSON reader and the two models alone
# (swiftc -O -wmo) into a harness that decodes 1,000 rows N times; rows are built once, outside the count.
# Usage: bench/rows.sh [GIT-REV]   (with a revision: its row decoding beside the work tree's)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
sql="SQLValue SQLRow SQLError SQLRowDecoder SQLRecord SQLRecordRow SQLColumn SQLRecordDecoder SQLRecordColumns SQLColumnDecoder SQLValue+Decoding"
files="Workers/api/Contacts/Contact.swift Workers/api/Messaging/Message.swift Workers/api/Messaging/MessageStatus.swift Workers/api/APIKeys/APIKey.swift
  Runtime/OzziRuntime/HTTP/JSONValue.swift Runtime/OzziRuntime/HTTP/JSONValue+Text.swift"
for f in $sql; do files="$files Runtime/OzziRuntime/Bindings/SQL/$f.swift"; done

cat > "$work/rows.swift" <<'SWIFT'
let contactColumns = ["id", "name", "first_name", "last_name", "phone", "email", "notes", "custom_fields", "source", "sms_consent",
                      "sms_consent_at", "sms_consent_method", "created_at", "updated_at"]
let messageColumns = ["id", "contact_id", "to_phone", "template_id", "body", "sent_text", "scheduled_at", "time_zone", "category", "campaign",
                      "status", "attempts", "provider", "provider_message_id", "error_code", "error_message", "sent_at", "delivered_at",
                      "created_at", "updated_at"]
let at = SQLValue.text("2026-11-21T09:00:00.000Z")
let contacts = (0..<1000).map { i in
    SQLRow(columns: contactColumns, values: [
        .text("con_\(i)abcdefghijklmnop"), .text("Ada Lovelace"), .text("Ada"), .text("Lovelace"), .text("+1415555\(1000 + i)"),
        i % 3 == 0 ? .null : .text("ada\(i)@example.com"), .text(""), .text(#"{"plan":"pro","seats":3}"#), .text("import"),
        .text("opted_in"), at, .text("form"), at, at,
    ])
}
let messages = (0..<1000).map { i in
    SQLRow(columns: messageColumns, values: [
        .text("msg_\(i)abcdefghijklmnop"), .text("con_\(i)abcdefghijklmnop"), .text("+1415555\(1000 + i)"), .null,
        .text("Hi Ada, your plan renews."), .text("Hi Ada, your plan renews."), at, .text("America/New_York"), .text("general"),
        .text("renewals"), .text("delivered"), .integer(1), .text("simulated"), .text("SM\(i)"), .null, .null, at, at, at, at,
    ])
}
let keyColumns = ["id", "name", "prefix", "active", "created_by", "created_at", "last_used_at"]
let keys = (0..<1000).map { i in
    SQLRow(columns: keyColumns, values: [.text("key_\(i)abcdefghijklmnop"), .text("CI"), .text("ozk_live_abcdefghijkl"), .integer(1),
                                         .text("usr_abcdefghijklmnopqrstuv"), at, i % 2 == 0 ? .null : at])
}
let n = Int(CommandLine.arguments[1])!
let kind = CommandLine.arguments[2]
var total = 0
SWIFT

# The work tree reads records; a revision before them read rows by hand (`init(row:)`).
cat > "$work/records.swift" <<'SWIFT'
for _ in 0..<n {
    switch kind {
    case "contact": total += try! SQLRecordDecoder.records(Contact.self, contacts, sql: "").count
    case "message": total += try! SQLRecordDecoder.records(Message.self, messages, sql: "").count
    default: total += try! SQLRecordDecoder.records(APIKey.self, keys, sql: "").count
    }
}
precondition(total == n * 1000)
SWIFT
cat > "$work/by-hand.swift" <<'SWIFT'
for _ in 0..<n {
    switch kind {
    case "contact": total += contacts.map(Contact.init(row:)).count
    case "message": total += messages.map(Message.init(row:)).count
    default: total += try! keys.map { try SQLRowDecoder.decode(APIKey.self, from: $0) }.count
    }
}
precondition(total == n * 1000)
SWIFT

build() { # label, then a command that prints a file's text given its path
  local label=$1; shift
  mkdir -p "$work/$label"
  for f in $files; do "$@" "$f" 2>/dev/null | grep -v '^import OzziRuntime$' > "$work/$label/$(basename "$f")" || rm "$work/$label/$(basename "$f")"; done
  { echo "import FoundationEssentials"; "$@" Runtime/OzziRuntime/HTTP/Response.swift | awk '/^public enum JSONCoding/,/^}/'; } > "$work/$label/JSONCoding.swift"
  "$@" Runtime/OzziRuntime/HTTP/HTTPHeaders.swift | awk '/^enum ASCII/,/^}/' > "$work/$label/ASCII.swift"
  local main=by-hand
  [ -f "$work/$label/SQLRecord.swift" ] && main=records
  cat "$work/rows.swift" "$work/$main.swift" > "$work/$label/main.swift"
  swiftc -O -wmo -swift-version 6 -module-name Harness -I Runtime/CModules/CSQLite "$work/$label"/*.swift -lsqlite3 -o "$work/$label/harness"
}
count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | awk '/Collected/ {print $4}'; }
report() { # label
  for kind in contact message apikey; do
    local base=$(count "$work/$1/harness" 0 $kind) total=$(count "$work/$1/harness" 20 $kind)
    printf "%-12s %-8s %8d instructions per row\n" "$1" $kind $(( (total - base) / 20000 ))
  done
}

build "work-tree" cat
[ $# -gt 0 ] && build "$1" sh -c 'git show "$0:$1"' "$1"
[ $# -gt 0 ] && report "$1"
report "work-tree"

#!/usr/bin/env bash
# The Swift client in Clients/OzziAPI, generated from the api's OpenAPI document as the code builds it
# (`ozzi openapi`) by swift-openapi-generator, and committed so that building the package never runs it.
#   scripts/generate-client.sh          rewrites Clients/OzziAPI/openapi.json and Clients/OzziAPI/Generated
#   scripts/generate-client.sh --check  regenerates into a scratch folder; fails with the diff if the
#                                       committed files are not what the code generates now
# The generator is built by its own package (Clients/Generator) in .build-generator.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH

check=false
case "${1:-}" in
    --check) check=true ;;
    "") ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

client=Clients/OzziAPI
out=$client
if $check; then
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi

swift build --product ozzi
ozzi=$(swift build --show-bin-path)/ozzi
swift build --package-path Clients/Generator --scratch-path .build-generator --product swift-openapi-generator
generator=$(swift build --package-path Clients/Generator --scratch-path .build-generator --show-bin-path)/swift-openapi-generator

"$ozzi" openapi --config wrangler-like.toml > "$out/openapi.json.new"
mv "$out/openapi.json.new" "$out/openapi.json"
# A file the generator no longer writes must not linger.
rm -rf "$out/Generated"
mkdir -p "$out/Generated"
# The generator drops a request body whose schema uses `not` (the document's "at most one of" rules), so
# it reads the document without them: they only refuse requests, they never shape the data.
input=$(mktemp -d)/openapi.json
python3 - "$out/openapi.json" "$input" <<'PY'
import json, sys
def strip(node):
    if isinstance(node, dict):
        if isinstance(node.get("allOf"), list):
            node["allOf"] = [part for part in node["allOf"] if not (isinstance(part, dict) and set(part) == {"not"})]
        for value in node.values():
            strip(value)
    elif isinstance(node, list):
        for value in node:
            strip(value)
with open(sys.argv[1]) as f:
    document = json.load(f)
strip(document)
with open(sys.argv[2], "w") as f:
    json.dump(document, f, indent=2, sort_keys=True)
PY
"$generator" generate --config "$client/openapi-generator-config.yaml" --output-directory "$out/Generated" "$input"
rm -rf "$(dirname "$input")"

if $check; then
    stale=false
    diff -u "$client/openapi.json" "$out/openapi.json" || stale=true
    diff -ru "$client/Generated" "$out/Generated" || stale=true
    if $stale; then
        echo "error: the committed client in $client is stale: run scripts/generate-client.sh and commit what it writes" >&2
        exit 1
    fi
    echo "the committed client in $client is current"
fi

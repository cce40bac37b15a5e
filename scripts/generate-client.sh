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
"$generator" generate --config "$client/openapi-generator-config.yaml" --output-directory "$out/Generated" "$out/openapi.json"

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

# Shared by the benchmark scripts: the release build, a host on the repository's own configuration, a key.

build_release() { # product
  swift build -c release --static-swift-stdlib --product "$1" >/dev/null
}

# The host the benchmarks measure is `wrangler-like.toml` as it ships, on one loop; only the port, the
# data folder and vars (--var api.NAME=VALUE) change. At --log-level warning it writes no access log.
# HOST_CORES (default 0) pins it elsewhere; OZZI_POSTGRES_URL / OZZI_REDIS_URL in the environment put it on
# shared engines. The release build runs once per script; OZZI_BINARY names another build to run instead
# (bench/ab.sh compares two).
start_api_host() { # port work-dir [--var api.NAME=VALUE ...]: a release host, pinned to core 0, in the background
  local port=$1 work=$2 pid
  shift 2
  [ -n "${release_built:-}${OZZI_BINARY:-}" ] || { build_release ozzi; release_built=1; }
  declare -g "api_data_$port=$work/data"
  taskset -c "${HOST_CORES:-0}" "${OZZI_BINARY:-.build/release/ozzi}" serve --config wrangler-like.toml --port "$port" --loops 1 \
    --data-dir "$work/data" --log-level warning "$@" &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/api/v1/status" -o /dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "the host on port $port exited at start-up" >&2; return 1; }
    sleep 0.05
  done
}

create_api_key() { # port (of a host start_api_host started) -> prints an API key of a freshly signed-up account
  local base="http://127.0.0.1:$1/api/v1" data_var="api_data_$1" token
  curl -sf -X POST "$base/auth/signup" -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"correct horse battery"}' -o /dev/null
  # The link of the email sign-up sent, as the simulated system sender kept it in the host's data folder.
  token=$(python3 scripts/mailbox.py bench@example.com --data "${!data_var}") || return 1
  token=$(curl -sf -X POST "$base/auth/verify-email" -H 'content-type: application/json' -d "{\"token\":\"$token\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -sf -X POST "$base/api-keys" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])'
}

wrk_summary() { # wrk --latency output file -> "req/s p50_ms p99_ms"
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps=$2 } / 50%/ { p50=ms($2) } / 99%/ { p99=ms($2) }
    END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }' "$1"
}

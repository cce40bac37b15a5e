# Shared by the benchmark scripts: the release build, a host on the repository's own configuration, a key.

build_release() { # product
  swift build -c release --static-swift-stdlib --product "$1" >/dev/null
}

# The host the benchmarks measure is `wrangler-like.toml` as it ships, on one loop; only the port, the
# data folder and vars (--var api.NAME=VALUE) change. At --log-level warning it writes no access log.
# HOST_CORES (default 0) pins it elsewhere; OZZI_POSTGRES_URL / OZZI_REDIS_URL in the environment put it on
# shared engines. The release build runs once per script.
start_api_host() { # port work-dir [--var api.NAME=VALUE ...]: a release host, pinned to core 0, in the background
  local port=$1 work=$2 pid
  shift 2
  [ -n "${release_built:-}" ] || { build_release ozzi; release_built=1; }
  declare -g "api_data_$port=$work/data"
  taskset -c "${HOST_CORES:-0}" .build/release/ozzi serve --config wrangler-like.toml --port "$port" --loops 1 \
    --data-dir "$work/data" --log-level warning "$@" &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/api/v1/status" -o /dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "the host on port $port exited at start-up" >&2; return 1; }
    sleep 0.05
  done
}

# The token of the newest sign-up verification email to an address, as the simulated system sender kept it
# in the host's data folder (an mbox blob of the FILES bucket); waits up to 30 s for it.
verification_token() { # data-folder address
  python3 - "$1" "$2" <<'PY'
import email, email.policy, glob, os, re, sys, time
data, address = sys.argv[1], sys.argv[2]
deadline = time.time() + 30
while True:
    found = []
    for path in glob.glob(f"{data}/*/r2/*/blobs/*"):
        with open(path, "rb") as blob:
            raw = blob.read()
        if not raw.startswith(b"From "):
            continue
        message = email.message_from_bytes(raw.split(b"\n", 1)[1], policy=email.policy.default)
        if address not in str(message["To"]):
            continue
        match = re.search(r"/api/v1/auth/verify-email#token=([A-Za-z0-9_-]+)", message.get_body(("plain",)).get_content())
        if match:
            found.append((os.path.getmtime(path), match.group(1)))
    if found:
        print(max(found)[1])
        break
    if time.time() > deadline:
        sys.exit(f"no verification email to {address} in {data}")
    time.sleep(0.1)
PY
}

create_api_key() { # port (of a host start_api_host started) -> prints an API key of a freshly signed-up account
  local base="http://127.0.0.1:$1/api/v1" data_var="api_data_$1" token
  curl -sf -X POST "$base/auth/signup" -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"correct horse battery"}' -o /dev/null
  token=$(verification_token "${!data_var}" bench@example.com) || return 1
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

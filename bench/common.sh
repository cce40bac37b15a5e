# Shared by the benchmark scripts: the release build, the api worker's configuration, a host and a key.

build_release() { # product
  swift build -c release --static-swift-stdlib --product "$1" >/dev/null
}

write_api_config() { # file port data-dir [TOML lines for the api worker's [workers.vars]]
  cat > "$1" <<TOML
[server]
host = "127.0.0.1"
port = $2
loops = 1
data_dir = "$3"
access_log = false

[[workers]]
name = "api"
module = "api"
routes = ["/api/*"]
kv_namespaces = [{ binding = "KV" }]
d1_databases = [{ binding = "DB", migrations_dir = "$PWD/Workers/api/migrations" }]
r2_buckets = [{ binding = "FILES" }]
pubsub = [{ binding = "LIVE" }]
queues = { producers = [{ binding = "JOBS", queue = "api-jobs" }, { binding = "DELIVERY", queue = "api-delivery" }, { binding = "WEBHOOKS", queue = "api-webhooks" }], consumers = [{ queue = "api-jobs", max_batch_timeout = 0 }, { queue = "api-delivery", max_batch_size = 100, max_batch_timeout = 0 }, { queue = "api-webhooks", max_batch_timeout = 0 }] }
[workers.vars]
${4:-}
TOML
}

start_api_host() { # port work-dir [vars]: a release host with the api worker, pinned to core 0, in the background
  build_release ozzi
  write_api_config "$2/api.toml" "$1" "$2/data" "${3:-}"
  taskset -c 0 .build/release/ozzi serve --config "$2/api.toml" --log-level warning &
  until curl -sf "http://127.0.0.1:$1/api/v1/status" -o /dev/null; do sleep 0.05; done
}

create_api_key() { # port -> prints an API key of a freshly signed-up account
  local base="http://127.0.0.1:$1/api/v1" token
  token=$(curl -sf -X POST "$base/auth/signup" -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"correct horse battery"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  curl -sf -X POST "$base/api-keys" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])'
}

wrk_summary() { # wrk --latency output file -> "req/s p50_ms p99_ms"
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps=$2 } / 50%/ { p50=ms($2) } / 99%/ { p99=ms($2) }
    END { printf "%.0f %.3f %.3f\n", rps, p50, p99 }' "$1"
}

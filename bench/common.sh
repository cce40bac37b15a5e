# Shared by the benchmark scripts: the release build and the api worker's configuration.

build_release() { # product
  swift build -c release --static-swift-stdlib --product "$1" >/dev/null
}

write_api_config() { # file port data-dir
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
queues = { producers = [{ binding = "JOBS", queue = "api-jobs" }], consumers = [{ queue = "api-jobs", max_batch_timeout = 0 }] }
TOML
}

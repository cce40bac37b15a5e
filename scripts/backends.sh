#!/usr/bin/env bash
# Starts the shared engines several `ozzi serve` hosts use, in one folder: PostgreSQL 15 (Debian's, trust
# authentication on 127.0.0.1) and a redis-server with no persistence, each on a free port, as an
# unprivileged user (`nobody` when run as root, as PostgreSQL refuses root; the caller otherwise). What
# Tests/Support/TestPostgres.swift and TestRedis.swift do for the tests, for operators and benchmarks.
#
#   eval "$(scripts/backends.sh start DIR)"   # exports OZZI_POSTGRES_URL and OZZI_REDIS_URL
#   scripts/backends.sh env DIR               # prints them again
#   scripts/backends.sh stop DIR              # stops both; DIR stays (its data survives a restart)
#
# start options (before DIR). By default PostgreSQL is durable: every commit waits for its WAL to be
# flushed. --async-commit turns synchronous_commit off: a commit returns before that flush, so a power cut
# may lose the last ~0.6 s of commits but never corrupts; the same promise as the SQLite default's WAL with
# synchronous=NORMAL, so the benchmarks compare like with like. --no-fsync also turns fsync and
# full_page_writes off, as the tests do: fastest, and a power cut may corrupt the data. --max-connections N
# (default 300): every host opens a pool per worker schema and one of its own. --statistics loads
# pg_stat_statements (CREATE EXTENSION pg_stat_statements in a database to read it): which statements take
# the time, and how many run.
# scripts/setup.sh installs postgresql-15 and redis-server.
set -euo pipefail

pg_bin=/usr/lib/postgresql/15/bin
redis_bin=/usr/bin/redis-server

usage() { echo "usage: $0 start [--async-commit] [--no-fsync] [--max-connections N] [--statistics] DIR | stop DIR | env DIR" >&2; exit 64; }

# Runs a command as the user the servers run as.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then /usr/sbin/runuser -u nobody -- "$@"; else "$@"; fi
}

# A TCP port on 127.0.0.1 nobody listens on now (the kernel's choice).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

print_env() { # dir
  local dir=$1
  [ -f "$dir/postgres.port" ] && [ -f "$dir/redis.port" ] || { echo "$0: no engines started in $dir" >&2; exit 1; }
  echo "export OZZI_POSTGRES_URL=postgresql://postgres@127.0.0.1:$(cat "$dir/postgres.port")/postgres"
  echo "export OZZI_REDIS_URL=redis://127.0.0.1:$(cat "$dir/redis.port")"
}

start() {
  local fsync=on commit=on max_connections=300 statistics=""
  while [ $# -gt 1 ]; do
    case $1 in
      --async-commit) commit=off; shift ;;
      --no-fsync) fsync=off; commit=off; shift ;;
      --max-connections) max_connections=$2; shift 2 ;;
      --statistics) statistics=" -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"; shift ;;
      *) usage ;;
    esac
  done
  [ $# -eq 1 ] || usage
  local dir
  mkdir -p "$1"
  dir=$(cd "$1" && pwd)
  for tool in "$pg_bin/initdb" "$pg_bin/pg_ctl" "$redis_bin"; do
    [ -x "$tool" ] || { echo "$0: $tool is missing: run scripts/setup.sh" >&2; exit 1; }
  done
  if [ -f "$dir/postgres/postmaster.pid" ] || [ -f "$dir/redis.pid" ]; then
    echo "$0: engines already started in $dir (stop them first: $0 stop $dir)" >&2; exit 1
  fi
  [ "$(id -u)" -eq 0 ] && chown nobody: "$dir"
  as_server_user test -w "$dir" || { echo "$0: $(as_server_user id -un) cannot write $dir (is a folder above it private?)" >&2; exit 1; }

  if [ ! -f "$dir/postgres/PG_VERSION" ]; then
    as_server_user "$pg_bin/initdb" -D "$dir/postgres" -U postgres -A trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  local pg_port options
  pg_port=$(free_port)
  options="-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=$max_connections -c fsync=$fsync"
  options+=" -c synchronous_commit=$commit -c full_page_writes=$fsync$statistics"
  as_server_user "$pg_bin/pg_ctl" -D "$dir/postgres" -l "$dir/postgres.log" -w -t 120 -o "$options" start >/dev/null \
    || { cat "$dir/postgres.log" >&2; exit 1; }
  echo "$pg_port" > "$dir/postgres.port"

  # A port taken between the probe and the server's bind ends redis-server at once: try another.
  local redis_port started=""
  for _ in 1 2 3 4 5; do
    redis_port=$(free_port)
    if as_server_user "$redis_bin" --port "$redis_port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
         --protected-mode yes --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"; then
      for _ in $(seq 100); do
        if redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; then started=1; break; fi
        sleep 0.05
      done
    fi
    [ -n "$started" ] && break
  done
  [ -n "$started" ] || { echo "$0: redis-server did not start; see $dir/redis.log" >&2; stop "$dir"; exit 1; }
  echo "$redis_port" > "$dir/redis.port"
  print_env "$dir"
}

stop() {
  [ $# -eq 1 ] || usage
  local dir=$1 pid
  if [ -f "$dir/postgres/postmaster.pid" ]; then
    as_server_user "$pg_bin/pg_ctl" -D "$dir/postgres" -m fast -w stop >/dev/null
  fi
  if [ -f "$dir/redis.pid" ]; then
    pid=$(cat "$dir/redis.pid")
    kill "$pid" 2>/dev/null || true
    # Wait for it to exit, so the caller may remove the folder or start again at once.
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    rm -f "$dir/redis.pid"
  fi
  rm -f "$dir/postgres.port" "$dir/redis.port"
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  env) shift; [ $# -eq 1 ] || usage; print_env "$1" ;;
  *) usage ;;
esac

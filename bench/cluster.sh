#!/usr/bin/env bash
# One host on SQLite against hosts sharing PostgreSQL and Redis, side by side in one run, as ratios:
#   (a) one host + SQLite (the default), (b) one host + PostgreSQL + Redis, (c) three hosts + PostgreSQL + Redis.
# Measured on each:
#   1. Dispatch: MESSAGES (group sends of 10,000; in (c) the sends go to the hosts in turn) all due at one
#      instant through the full pipeline to the simulated provider; rate = messages / (last sent - due).
#   2. Authenticated read: GET /api/v1/me with an API key, wrk for SECONDS per round, median of ROUNDS; in (c)
#      one wrk per host at once, each with a third of the connections, their requests/s summed.
# While (b) and (c) dispatch, what PostgreSQL's busy backends wait on is sampled, and Redis counts its
# commands: what the next 10x would run into.
#
# Pinning: the hosts share HOST_CORES (default core 0); PostgreSQL, Redis, the driver and wrk share
# CLIENT_CORES (default core 1). On a two-core machine (c) therefore gives its three hosts the one core (a)
# gives its one host: it measures what sharing the engines costs, not what more machines would add.
# PostgreSQL commits asynchronously (WAL flushed by its writer, fsync on): the promise SQLite's WAL with
# synchronous=NORMAL makes. DURABLE=1 makes every commit wait for its flush instead.
# CONFIGURATIONS=ab runs only those (the ratios are to the first one run).
# Usage: bench/cluster.sh [messages] [seconds per read run] [rounds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
messages=${1:-30000}; seconds=${2:-10}; rounds=${3:-3}; conns=${4:-48}
export HOST_CORES=${HOST_CORES:-0}
client_cores=${CLIENT_CORES:-1}
configurations=${CONFIGURATIONS:-abc}
sends=$(( (messages + 9999) / 10000 ))
work=$(mktemp -d)
chmod 755 "$work"  # the engines run as another user, in a folder inside
engines=$work/engines
hosts=()
stop_hosts() {
  [ ${#hosts[@]} -gt 0 ] || return 0
  kill "${hosts[@]}" 2>/dev/null || true
  wait "${hosts[@]}" 2>/dev/null || true
  hosts=()
}
cleanup() {
  stop_hosts
  [ -f "$engines/postgres.port" ] && scripts/backends.sh stop "$engines" || true
  rm -rf "$work"
}
trap cleanup EXIT

source bench/common.sh
build_release ozzi
release_built=1

echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')); hosts on core(s) $HOST_CORES;" \
  "PostgreSQL, Redis, driver and wrk on core(s) $client_cores; load average before the run $(cut -d' ' -f1-3 /proc/loadavg)"
commit_option=--async-commit
[ -n "${DURABLE:-}" ] && commit_option=""
taskset -c "$client_cores" scripts/backends.sh start $commit_option --statistics "$engines" > "$work/engines.env"
postgres=$(sed -n 's/^export OZZI_POSTGRES_URL=//p' "$work/engines.env")
redis=$(sed -n 's/^export OZZI_REDIS_URL=//p' "$work/engines.env")
echo "engines: PostgreSQL $(psql "$postgres" -AtXc 'SHOW server_version') (synchronous_commit" \
  "$(psql "$postgres" -AtXc 'SHOW synchronous_commit'), fsync $(psql "$postgres" -AtXc 'SHOW fsync'))," \
  "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')"

# Starts `count` hosts on ports from `first`; with a database name, on PostgreSQL (that database) and Redis,
# sharing one data folder as hosts on one shared filesystem do (buckets, the credentials key).
start_hosts() { # count first-port [database]
  local count=$1 first=$2 database=${3:-} i
  for i in $(seq 0 $((count - 1))); do
    if [ -n "$database" ]; then
      OZZI_POSTGRES_URL="${postgres%/*}/$database" OZZI_REDIS_URL="$redis" \
        start_api_host $((first + i)) "$work/$database" --var api.SMS_RATE_PER_WORKSPACE=20000 --var api.SMS_RATE_PER_USER=20000
    else
      start_api_host $((first + i)) "$work/sqlite-$i" --var api.SMS_RATE_PER_WORKSPACE=20000 --var api.SMS_RATE_PER_USER=20000
    fi
    hosts+=($!)
  done
}

# Messages per second; the driver prints its progress and, on PostgreSQL, what the engines did meanwhile.
dispatch() { # source (data folder or postgresql URL) key ports...
  taskset -c "$client_cores" python3 - "$redis" "$sends" "$@" <<'PY'
import collections, os, subprocess, sys, threading, time
sys.path.insert(0, "bench")
from sms_driver import API, Campaigns, iso

redis, sends, source, key, ports = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
hosts = [API(port, key).call for port in ports]
call = hosts[0]
shared = source.startswith("postgres")

# 10,000 contacts in one group.
csv = "name,phone\n" + "".join(f"Person {i},+1415{2000000 + i}\n" for i in range(10000))
imp = call("POST", "/contacts/imports", csv.encode(), "text/csv")
while call("GET", f"/contacts/imports/{imp['id']}")["status"] == "running":
    time.sleep(0.1)
everyone = call("POST", "/groups", {"name": "everyone"})["id"]
call("POST", "/contacts/bulk", {"action": "add_to_group", "group_id": everyone, "filter": {"source": "import"}})

campaigns = Campaigns(source)
scheduling = time.time()
# A send of 10,000 inserts them and queues their jobs in one transaction: about 1 s on SQLite, up to 20 s
# on PostgreSQL on a busy two-core machine; all must be in before they are due.
due = time.time() + 10 + sends * (30 if shared else 4)
for i in range(sends):
    hosts[i % len(hosts)]("POST", "/messages", {"group_id": everyone, "body": "Hello {{first_name}}", "scheduled_at": iso(due), "campaign": "dispatch"})
left = due - time.time()
print(f"    scheduled {sends * 10000} messages through {len(hosts)} host(s) in {time.time() - scheduling:.1f} s, due {left:.1f} s later", file=sys.stderr, flush=True)
if left < 1:
    sys.exit("scheduling took longer than the time left before the messages were due: the rate would be wrong")

waits, done = collections.Counter(), threading.Event()
def sample():
    """What PostgreSQL's client backends do, every 100 ms: active ones by wait event ('CPU' when running or
    runnable), the others by state ('idle in transaction': the host holds a transaction open between statements)."""
    query = ("SELECT CASE WHEN state = 'active' THEN coalesce(wait_event_type || ':' || wait_event, 'CPU') "
             "ELSE replace(state, ' ', '_') END FROM pg_stat_activity "
             "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'")
    while not done.wait(0.1):
        out = subprocess.run(["psql", source, "-AtXq", "-c", query], capture_output=True, text=True).stdout.split()
        waits.update(out)
        waits["(samples)"] += 1

time.sleep(left - 0.5)
if shared:
    subprocess.run(["redis-cli", "-u", redis, "CONFIG", "RESETSTAT"], check=True, capture_output=True)
    sampler = threading.Thread(target=sample)
    sampler.start()
def cpu_seconds():
    """CPU time the hosts have used (their pids in HOST_PIDS)."""
    total = 0
    for pid in os.environ["HOST_PIDS"].split():
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")
def commits():
    if not shared:
        return 0
    return int(subprocess.run(["psql", source, "-AtXq", "-c", "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"],
                              check=True, capture_output=True, text=True).stdout)
def psql(sql):
    return subprocess.run(["psql", source, "-AtXq", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True, text=True).stdout
if shared:
    psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    psql("SELECT pg_stat_statements_reset()")
cpu_before, wall_before, commits_before = cpu_seconds(), time.time(), commits()
# Polled once a second: the count scans the campaign's rows on the engines' core (the rate comes from the
# rows' times, not from when the poll saw them).
sent = campaigns.wait_sent("dispatch", sends * 10000, due - time.time() + 1800, every_s=1.0)
cpu_used = (cpu_seconds() - cpu_before) / (time.time() - wall_before)
first_due, last_sent = campaigns.span("dispatch")
if shared:
    done.set()
    sampler.join()
rate = sent / ((last_sent - first_due) / 1000)
print(f"    {sent} messages due at one instant, all sent {(last_sent - first_due) / 1000:.2f} s later; the hosts used {cpu_used:.2f} cores meanwhile",
      file=sys.stderr, flush=True)
if shared:
    samples = waits.pop("(samples)")
    busy = sum(waits.values())
    top = ", ".join(f"{name} {count / samples:.2f}" for name, count in waits.most_common(5))
    print(f"    PostgreSQL: {(commits() - commits_before) / max(sent, 1):.2f} commits per message; {busy / samples:.2f} backends in a statement or "
          f"transaction on average ({top})", file=sys.stderr)
    # The statements that took the most time in all (the sampler's own left out), per message sent.
    top = psql("SELECT calls, total_exec_time, regexp_replace(left(query, 90), '\\s+', ' ', 'g') FROM pg_stat_statements "
               "WHERE query NOT LIKE '%pg_stat%' AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
               "ORDER BY total_exec_time DESC LIMIT 6")
    statements = psql("SELECT sum(calls) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat%' "
                      "AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())").strip()
    print(f"    PostgreSQL: {int(statements or 0) / max(sent, 1):.1f} statements per message; most time in all:", file=sys.stderr)
    for line in top.strip().splitlines():
        calls, ms, query = line.split("|", 2)
        print(f"      {int(calls) / max(sent, 1):6.2f}/msg {float(ms) / 1000:7.2f} s  {query}", file=sys.stderr)
    stats = subprocess.run(["redis-cli", "-u", redis, "INFO", "commandstats"], check=True, capture_output=True, text=True).stdout
    calls = {}
    for line in stats.splitlines():
        if line.startswith("cmdstat_"):
            name, fields = line[len("cmdstat_"):].split(":", 1)
            values = dict(f.split("=") for f in fields.split(","))
            calls[name] = (int(values["calls"]), float(values["usec_per_call"]))
    total = sum(c for c, _ in calls.values())
    detail = ", ".join(f"{name} {c} ({u:.1f} us each)" for name, (c, u) in sorted(calls.items(), key=lambda kv: -kv[1][0])[:4])
    print(f"    Redis: {total} commands, {total / max(sent, 1):.2f} per message: {detail}", file=sys.stderr)
print(f"{rate:.0f}")
PY
}

# Requests/s and p99 (ms) of the median round; one wrk per port, all at once, sharing the connections.
read_me() { # key ports...
  local key=$1 r port pids
  shift
  local share=$(( conns / $# ))
  for r in $(seq "$rounds"); do
    pids=()
    for port in "$@"; do
      taskset -c "$client_cores" wrk -t1 -c"$share" -d"${seconds}s" --latency -H "Authorization: Bearer $key" \
        "http://127.0.0.1:$port/api/v1/me" > "$work/wrk.$port.txt" &
      pids+=($!)
    done
    wait "${pids[@]}"
    for port in "$@"; do wrk_summary "$work/wrk.$port.txt"; done \
      | awk '{ rps += $1; if ($3 > p99) p99 = $3 } END { printf "%.0f %.3f\n", rps, p99 }'
  done | sort -n | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'
}

run_configuration() { # label count first-port [database]
  local label=$1 count=$2 first=$3 database=${4:-} key source ports rate read
  echo "$label"
  if [ -n "$database" ]; then
    psql "$postgres" -AtXq -c "CREATE DATABASE $database"
    redis-cli -u "$redis" FLUSHALL > /dev/null
    source=${postgres%/*}/$database
  else
    source=$work/sqlite-0/data
  fi
  start_hosts "$count" "$first" "$database"
  ports=$(seq "$first" $((first + count - 1)))
  key=$(create_api_key "$first")
  rate=$(HOST_PIDS="${hosts[*]}" dispatch "$source" "$key" $ports)
  echo "    dispatch: $rate messages/s"
  sleep 3  # the delivery callbacks drain
  read=$(read_me "$key" $ports)
  echo "    GET /api/v1/me: ${read% *} requests/s, p99 ${read#* } ms (wrk: $conns connections over $count host(s))"
  echo "$label|$rate|$read" >> "$work/results"
  stop_hosts
}

[[ $configurations == *a* ]] && run_configuration "(a) one host + SQLite" 1 18811
[[ $configurations == *b* ]] && run_configuration "(b) one host + PostgreSQL + Redis" 1 18821 bench_one
[[ $configurations == *c* ]] && run_configuration "(c) three hosts + PostgreSQL + Redis" 3 18831 bench_three

echo
python3 - "$work/results" "$(nproc)" <<'PY'
import sys
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1])]
base_rate, base_read = float(rows[0][1]), float(rows[0][2].split()[0])
print(f"{'configuration':40} {'dispatch msg/s':>15} {'ratio':>6} {'/me req/s':>10} {'ratio':>6} {'p99 ms':>8}")
for label, rate, read in rows:
    rps, p99 = read.split()
    print(f"{label:40} {float(rate):>15,.0f} {float(rate) / base_rate:>6.2f} {float(rps):>10,.0f} {float(rps) / base_read:>6.2f} {float(p99):>8.2f}")
print(f"({sys.argv[2]} cores: the hosts of every configuration share one core, the engines and the load generators the other)")
PY

#!/usr/bin/env bash
# Embedded-form submissions on one host (core 0, one loop; the driver and wrk on core 1):
# - loader.js as served for a form, and gzipped (-9): what every visitor of an embedding page downloads;
# - N submissions (POST /forms/submit, as the form page's script sends them: JSON, the host's own Origin),
#   each with its own token fetched beforehand from GET /forms/embed (untimed), each a distinct email, so
#   each one validates the answers, makes a contact, records SMS consent, lays out and enqueues the
#   form's workflow (add to a group), counts the day's stats and records the form.submitted event;
# - as the reference, in the same run and the same way, N plain contact creations (POST /api/v1/contacts
#   with an API key), the closest existing write; they run first, so the submissions meet a contacts
#   table already N rows larger;
# - the time, after the last submission was answered, until every workflow job has run (the group holds
#   N members).
# Each timed part is wrk (-t1, CONNS connections, default 64) sending exactly N prepared requests, one body
# each, and stopping at the Nth answer; every answer must be 201. Also printed: the host's CPU time per
# request (utime + stime from /proc), which a busy shared machine moves far less than the rate.
# Target (the issue): >= 5,000 submissions/s on one core.
# FORMS_WORKFLOW=0: the form has no workflow (nothing enqueued, nothing to drain), to see what the
# workflow costs the submission itself.
# Profiling: PERF_OUT=FILE records the host with `perf record` (PERF_ARGS, default -g) from the timed
# submissions to the drained workflow; with OZZI_SQL_PROFILE=FILE (the host's statement profile) the
# table is copied to FILE.start, FILE.contacts and FILE.forms (2.5 s pauses: it is written every 2 s),
# for bench/sql-profile-diff.py.
# Usage: bench/forms.sh [submissions (20000)]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
count=${1:-20000}
conns=${CONNS:-64}
port=18799
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk is needed: bash scripts/setup.sh --bench" >&2; exit 1; }

source bench/common.sh
start_api_host $port "$work"
host_pid=$(pgrep -f "serve --config wrangler-like.toml --port $port" | head -1)
key=$(create_api_key $port)

# The wrk script: one prepared request per line of REQ_BODIES (method and path given by env), none after
# the last (an empty request leaves its connection idle); at the last answer the thread stops and wrk is
# interrupted (its main thread otherwise sleeps out -d). The time runs from the first request written to
# the last answer (wall clock, so the driver can time what follows from it); non-201 answers are counted
# and the first few printed.
cat > "$work/send.lua" <<'LUA'
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long sec; long nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *t);
int getpid(void);
int kill(int pid, int sig);
]]
local clock = ffi.new("bench_timespec")
local function now_us() ffi.C.clock_gettime(0, clock); return tonumber(clock.sec) * 1e6 + tonumber(clock.nsec) / 1e3 end
local method, path, bodies = os.getenv("REQ_METHOD"), os.getenv("REQ_PATH"), {}
local headers = { ["Content-Type"] = "application/json" }
if os.getenv("REQ_ORIGIN") ~= "" then headers["Origin"] = os.getenv("REQ_ORIGIN") end
if os.getenv("REQ_AUTH") ~= "" then headers["Authorization"] = os.getenv("REQ_AUTH") end
for line in io.lines(os.getenv("REQ_BODIES")) do bodies[#bodies + 1] = line end
local total, sent, checked = #bodies, 0, false
answered, non201, first_us, last_us = 0, 0, 0, 0
request = function()
  -- wrk (4.1) first calls this once on the first thread to check the request's framing, before any
  -- connection opens: that call is given the first request without spending it.
  if not checked then checked = true; return wrk.format(method, path, headers, bodies[1]) end
  sent = sent + 1
  if sent == 1 then first_us = now_us() end
  if sent > total then return "" end
  return wrk.format(method, path, headers, bodies[sent])
end
response = function(status, _, body)
  answered = answered + 1
  if status ~= 201 then
    non201 = non201 + 1
    if non201 <= 5 then io.stderr:write(string.format("answer %d: %d %s\n", answered, status, body:sub(1, 300))) end
  end
  if answered == total then
    last_us = now_us()
    wrk.thread:stop()
    ffi.C.kill(ffi.C.getpid(), 2)
  end
end
local threads = {}
setup = function(thread) threads[#threads + 1] = thread end
done = function(summary, latency)
  local t = threads[1]
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.6f %.6f %.3f %.3f %d\n", t:get("answered"), t:get("non201"), t:get("first_us") / 1e6,
    t:get("last_us") / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.connect + e.read + e.write))
end
LUA

taskset -c 1 python3 - "$port" "$key" "$count" "$host_pid" "$work" "$conns" "${PERF_OUT:-}" <<'PY'
import concurrent.futures, gzip, http.client, json, os, re, sqlite3, subprocess, sys, time

port, key, count, pid, work, conns, perf_out = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6]), sys.argv[7]
origin = f"http://127.0.0.1:{port}"
with_workflow = os.environ.get("FORMS_WORKFLOW", "1") != "0"


def call(method, path, body=None, headers=None, connection=None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    fields = {"content-type": "application/json"}
    fields.update(headers or {})
    connection.request(method, path, None if body is None else json.dumps(body), fields)
    answer = connection.getresponse()
    data = answer.read()
    if own:
        connection.close()
    if answer.status >= 300:
        raise RuntimeError(f"{method} {path}: {answer.status} {data[:300]!r}")
    return data


def api(method, path, body=None):
    return json.loads(call(method, "/api/v1" + path, body, {"authorization": "Bearer " + key}) or b"null")


def cpu_seconds():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


group = api("POST", "/groups", {"name": "Bench"})
form = api("POST", "/forms", {
    "name": "Bench",
    "fields": [{"key": "email", "type": "email", "label": "Email", "required": True, "maps_to": "email"},
               {"key": "first", "type": "text", "label": "First name", "maps_to": "first_name"},
               {"key": "texts", "type": "consent", "channel": "sms", "label": "Text me"}],
    "settings": {"allowed_origins": [origin],
                 "spam": {"min_fill_seconds": 0, "per_email_per_hour": 10000, "per_network_per_minute": 100000}},
    "workflow": [{"type": "add_to_group", "group_id": group["id"]}] if with_workflow else [],
})
public_key = form["public_key"]

source = call("GET", f"/forms/loader.js?key={public_key}")
print(f"loader.js: {len(source):,} bytes as served, {len(gzip.compress(source, 9)):,} bytes gzipped (-9)", flush=True)

# Untimed: a token per submission, each from a page load (a view counted each time).
config = re.compile(rb'<script type="application/json" id="config"[^>]*>(.*?)</script>', re.S)


def tokens(n):
    connection, got = http.client.HTTPConnection("127.0.0.1", port, timeout=60), []
    for _ in range(n):
        page = call("GET", f"/forms/embed?key={public_key}", connection=connection)
        got.append(json.loads(config.search(page).group(1))["token"])
    connection.close()
    return got


started = time.time()
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    shares = [count // 8 + (1 if i < count % 8 else 0) for i in range(8)]
    fetched = [t for part in pool.map(tokens, shares) for t in part]
assert len(set(fetched)) == count and all(t.startswith("fst_") for t in fetched), "tokens: not one fresh fst_ token per page load"
print(f"{count:,} tokens fetched from /forms/embed in {time.time() - started:.1f} s (untimed)", flush=True)

with open(f"{work}/submissions.jsonl", "w") as f:
    for i, token in enumerate(fetched):
        f.write(json.dumps({"key": public_key, "token": token, "answers": {"email": f"u{i}@example.com", "first": "Ada", "texts": True},
                            "honeypot": "", "referrer": "https://shop.example/", "utm": {"utm_source": "bench"}}) + "\n")
with open(f"{work}/contacts.jsonl", "w") as f:
    for i in range(count):
        f.write(json.dumps({"name": "Ada", "email": f"c{i}@example.com"}) + "\n")


def timed(name, path, bodies, sent_origin="", auth=""):
    """N requests through wrk on this core; -> (rate/s, seconds, CPU s of the host, wall time of the last answer)."""
    environment = dict(os.environ, REQ_METHOD="POST", REQ_PATH=path, REQ_BODIES=bodies, REQ_ORIGIN=sent_origin, REQ_AUTH=auth)
    time.sleep(1)
    cpu = cpu_seconds()
    out = subprocess.run(["wrk", "-t1", f"-c{conns}", "-d300s", "-T30s", "--latency", "-s", f"{work}/send.lua", origin],
                         env=environment, capture_output=True, text=True)
    cpu = cpu_seconds() - cpu
    sys.stderr.write(out.stderr)
    line = [l for l in out.stdout.splitlines() if l.startswith("RESULT ")]
    if out.returncode != 0 or not line:
        sys.exit(f"{name}: wrk failed ({out.returncode}):\n{out.stdout}{out.stderr}")
    answered, bad, first, last, p50, p99, errors = line[0].split()[1:]
    answered, bad, errors, first, last = int(answered), int(bad), int(errors), float(first), float(last)
    if answered != count or bad or errors:
        sys.exit(f"{name}: {answered} of {count} answered, {bad} not 201, {errors} socket errors: FAILED\n{out.stdout}")
    seconds = last - first
    rate = count / seconds
    print(f"{name}: {count:,} in {seconds:.2f} s -> {rate:,.0f}/s, p50 {float(p50):.2f} ms, p99 {float(p99):.2f} ms "
          f"({conns} connections); host CPU {cpu:.2f} s -> {cpu * 1e6 / count:.0f} us each", flush=True)
    return rate, seconds, cpu, last


def snapshot(name):
    """The host's SQL statement profile as it stands, when OZZI_SQL_PROFILE asks for one."""
    if os.environ.get("OZZI_SQL_PROFILE"):
        time.sleep(2.5)
        with open(os.environ["OZZI_SQL_PROFILE"], "rb") as f, open(os.environ["OZZI_SQL_PROFILE"] + "." + name, "wb") as copy:
            copy.write(f.read())


snapshot("start")
contacts = timed("POST /api/v1/contacts", "/api/v1/contacts", f"{work}/contacts.jsonl", auth="Bearer " + key)
snapshot("contacts")

perf = None
if perf_out:
    perf = subprocess.Popen(["perf", "record", *os.environ.get("PERF_ARGS", "-g").split(), "-o", perf_out, "-p", pid],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)
cpu_before = cpu_seconds()
submissions = timed("POST /forms/submit", "/forms/submit", f"{work}/submissions.jsonl", sent_origin=origin)

# The workflow jobs: their action runs done, counted 10 times a second from the api's database, read-only
# beside the running host (the group's member count, asked of the host, counts the group each time), then
# the group's members as the API tells them.
ended = submissions[3]
db = sqlite3.connect(f"file:{work}/data/api/d1/api.sqlite?mode=ro", uri=True, timeout=30)
def runs():
    """-> (action runs done, failed)"""
    if not with_workflow:
        return count, 0
    status = dict(db.execute("SELECT status, count(*) FROM form_action_runs WHERE status IN ('done', 'failed') GROUP BY status").fetchall())
    return status.get("done", 0), status.get("failed", 0)
done, failed = runs()
if with_workflow:
    print(f"workflow: {done:,} of {count:,} jobs had run when the last submission was answered", flush=True)
while done + failed < count and time.time() - ended < 300:
    time.sleep(0.1)
    done, failed = runs()
drained = time.time() - ended
members = api("GET", f"/groups/{group['id']}")["member_count"] if with_workflow else count
cpu_all = cpu_seconds() - cpu_before
snapshot("forms")
if perf:
    perf.send_signal(2)
    perf.wait()
if done < count or members != count:
    sys.exit(f"workflow: {done} of {count} actions done, {failed} failed, {members} contacts in the group "
             f"{time.time() - ended:.0f} s after the last submission: FAILED")
if with_workflow:
    print(f"workflow drained {drained:.2f} s after the last submission was answered ({members:,} group members); "
          f"host CPU per submission, workflow included: {cpu_all * 1e6 / count:.0f} us", flush=True)

stats = api("GET", f"/forms/{form['id']}/stats")["totals"]
# What was made, read beside the running host: a submission and a contact for each.
stored = db.execute("SELECT count(*), count(DISTINCT contact_id) FROM form_submissions").fetchone()
made = db.execute("SELECT count(*) FROM contacts WHERE email LIKE 'u%@example.com'").fetchone()[0]
print(f"form stats: {stats}; stored: {stored[0]:,} submissions, {stored[1]:,} distinct contacts, {made:,} contacts u*@example.com", flush=True)
if stats["submissions"] != count or stats["views"] != count or stored != (count, count) or made != count:
    sys.exit("a submission, view or contact is missing: FAILED")

s, c = submissions[0], contacts[0]
print(f"submissions {s:,.0f}/s, contacts {c:,.0f}/s: ratio submissions/contacts {s / c:.2f}; "
      f"{s / 5000:.2f}x the target of 5,000 submissions/s "
      f"(CPU per request: submission {submissions[2] * 1e6 / count:.0f} us, contact {contacts[2] * 1e6 / count:.0f} us)", flush=True)
PY

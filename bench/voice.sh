#!/usr/bin/env bash
# The voice agent (issue 19) on one host (core 0, one loop; the driver and the stub model on core 1), driven
# as Twilio's ConversationRelay drives it by bench/voice_load.py (the websockets library), the model being
# Tests/clients/openai_stub.py (AGENT_MODEL = "openai"), whose first token comes after STUB_FIRST_TOKEN_MS
# (default 200):
# - the reference, in the same run and the same way: the stub model asked directly, TURNS streamed requests,
#   TURN_SESSIONS at a time: its own time to the first words, which no answer through the host can beat;
# - agent overhead per turn: TURNS prompts (default 1,000) over TURN_SESSIONS calls at once (default 20),
#   each call a signed POST /voice/incoming, the signed relay WebSocket from its TwiML, setup, then its share
#   of the prompts one after the other, each read to last:true. The host measures every answer (GET
#   /voice/status: prompt received -> first words written, the model's request -> first piece, and the
#   difference, the agent's overhead); the client's prompt sent -> first text frame is printed beside it;
# - SESSIONS concurrent calls (default 1,000), each webhook, signed socket, setup and one prompt answered,
#   all held open together: the host's RSS (VmRSS) before and while they are open, per session.
# Target (the issue): overhead p99 < 5 ms over 1,000 turns with a 200 ms model; RSS per session: no target.
# The host runs wrangler-like.toml as it ships, from a temporary copy with an [env.bench] overlay for the
# voice-agent: its model is the stub (AGENT_MODEL, LLM_BASE_URL, LLM_MODEL vars; the LLM_API_KEY secret from
# this script's environment) and it may reach http://127.0.0.1:* (the file allows https only); the copy's
# migrations_dir is made absolute. OZZI_BINARY runs another build instead of building release.
# Usage: bench/voice.sh [turns (1000)] [sessions (1000)]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
turns=${1:-1000}
sessions=${2:-1000}
turn_sessions=${TURN_SESSIONS:-20}
first_token_ms=${STUB_FIRST_TOKEN_MS:-200}
port=18795
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

# Sockets: each call holds one on the driver and one on the host, and each model request one on the host
# and one on the stub.
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((2 * sessions + 1024)) ] ||
  fail "open files limited to $(ulimit -n) (hard limit); $((2 * sessions + 1024)) are needed for $sessions sessions"
/usr/bin/python3 -c 'import websockets' 2>/dev/null || fail "/usr/bin/python3 has no websockets package: bash scripts/setup.sh --bench"

source bench/common.sh
if [ -z "${OZZI_BINARY:-}" ]; then build_release ozzi; fi
binary=${OZZI_BINARY:-.build/release/ozzi}

# The stub model, on the driver's core. Its listen backlog (Python's default: 5) is raised, or a thousand
# calls asking at once would wait out SYN retransmissions rather than the model.
llm_key="sk-bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
STUB_FIRST_TOKEN_MS=$first_token_ms taskset -c 1 /usr/bin/python3 -c '
import runpy, socketserver, sys
socketserver.TCPServer.request_queue_size = 4096
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")' Tests/clients/openai_stub.py "$llm_key" > "$work/llm.log" 2>&1 &
stub_pid=$!
stub_port=
until [ -n "$stub_port" ]; do
  kill -0 "$stub_pid" 2>/dev/null || { cat "$work/llm.log" >&2; fail "the stub model exited at start-up"; }
  sleep 0.05
  stub_port=$(awk '/^PORT/ {print $2}' "$work/llm.log")
done

# The configuration: wrangler-like.toml with the bench's overlay.
sed "s|^migrations_dir = \"\([^/]\)|migrations_dir = \"$PWD/\1|" wrangler-like.toml > "$work/voice.toml"
! grep -n '^migrations_dir = "[^/]' "$work/voice.toml" || fail "a relative migrations_dir is left in the copy"
cat >> "$work/voice.toml" <<TOML

# Added by bench/voice.sh: the voice agent asks the local stub model.
[env.bench.workers.voice-agent]
allowed_outbound_hosts = ["https://*", "http://127.0.0.1:*"]
secrets = ["LLM_API_KEY"]

[env.bench.workers.voice-agent.vars]
AGENT_MODEL = "openai"
LLM_BASE_URL = "http://127.0.0.1:$stub_port/v1"
LLM_MODEL = "bench-model"
TOML
LLM_API_KEY=$llm_key "$binary" check --config "$work/voice.toml" --env bench > "$work/check.txt" 2>&1 ||
  { cat "$work/check.txt" >&2; fail "ozzi check refused the bench's configuration"; }
sed -n '/^worker voice-agent/,/^$/p' "$work/check.txt" > "$work/voice-routes.txt"
grep -q "POST .*/incoming" "$work/voice-routes.txt" && grep -q "GET .*/ws/" "$work/voice-routes.txt" ||
  { cat "$work/voice-routes.txt" >&2; fail "$binary has no voice-agent POST /incoming and GET /ws/:callId (a stale build?)"; }

# The host, as bench/common.sh starts it, on the copy.
LLM_API_KEY=$llm_key taskset -c "${HOST_CORES:-0}" "$binary" serve --config "$work/voice.toml" --env bench --port "$port" --loops 1 \
  --data-dir "$work/data" --log-level warning &
host_pid=$!
printf -v "api_data_$port" '%s' "$work/data"  # where create_api_key finds the sign-up email
until curl -sf "http://127.0.0.1:$port/api/v1/status" -o /dev/null; do
  kill -0 "$host_pid" 2>/dev/null || fail "the host on port $port exited at start-up"
  sleep 0.05
done
status=$(curl -s -w ' %{http_code}' "http://127.0.0.1:$port/voice/status" || true)
[ "${status##* }" = 200 ] || fail "GET /voice/status: $status"
key=$(create_api_key "$port") || fail "signing up the bench account"
[ -n "$key" ] || fail "no API key"

echo "voice agent bench: $turns turns over $turn_sessions calls, $sessions concurrent calls; host pid $host_pid (core ${HOST_CORES:-0}), stub model on port $stub_port (first token ${first_token_ms} ms)"
taskset -c 1 /usr/bin/python3 bench/voice_load.py --base "http://127.0.0.1:$port" --key "$key" --pid "$host_pid" \
  --llm-url "http://127.0.0.1:$stub_port/v1" --llm-key "$llm_key" --llm-model bench-model \
  --turns "$turns" --turn-sessions "$turn_sessions" --sessions "$sessions" --first-token-ms "$first_token_ms" \
  --open-concurrency "${OPEN_CONCURRENCY:-100}" ||
  { code=$?; echo "the stub model's log (last lines):" >&2; tail -20 "$work/llm.log" >&2; exit "$code"; }
kill -0 "$host_pid" 2>/dev/null || fail "the host exited during the run"
echo "Command: bash bench/voice.sh $turns $sessions (TURN_SESSIONS=$turn_sessions STUB_FIRST_TOKEN_MS=$first_token_ms), $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Runtime Workers Sources 2>/dev/null || echo ' (work tree changed)')"

#!/usr/bin/env bash
# Installs what Ozzi Edge needs on Debian/Ubuntu: the C libraries the runtime links, the time zone database
# (messages scheduled in local time), the Redis server the scale-out tests start, and the real clients the tests and benchmarks drive it with (curl,
# Python, a headless browser). Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(
  libuv1-dev libhttp-parser-dev libwslay-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev libpq-dev pkg-config
  curl python3 python3-websockets tzdata chromium chromium-driver
  libhiredis-dev redis-server
  postgresql-15  # the server the PostgreSQL binding's tests start (Tests/Support/TestPostgres.swift)
  nginx-light    # the load balancer of the two-host test (deploy/nginx.conf)
  espeak-ng      # the simulated voice provider speaks its calls' recordings (allowed_commands of voice-agent)
  ffmpeg         # video-render's renders and the api's asset probes (allowed_commands: ffmpeg, ffprobe)
  fonts-dejavu-core  # the font text clips and burned-in captions are drawn with
  pocketsphinx pocketsphinx-en-us  # video-render's offline captions: speech to timed words (allowed_commands: pocketsphinx_continuous)
  python3-dateutil  # the reference RRULE expander calendar recurrences are compared with (Tests/clients/rrule_reference.py)
)
if [ "${1:-}" = "--bench" ]; then packages+=(wrk nodejs util-linux); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A Node.js from another source (nodesource) also satisfies the benchmark.
if [[ " ${missing[*]} " == *" nodejs "* ]] && command -v node >/dev/null; then
  missing=("${missing[@]/nodejs}")
fi
missing=(${missing[@]+"${missing[@]}"})

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The OpenAPI document is checked with openapi-spec-validator (PyPI) in the tests.
if ! python3 -c "import openapi_spec_validator" 2>/dev/null; then
  echo "setup: installing openapi-spec-validator"
  python3 -m pip install --quiet openapi-spec-validator
fi
# ...and fuzzed against a live host with schemathesis (PyPI; fuzz/openapi/schemathesis.toml), pinned so a
# seed means the same run everywhere.
if ! python3 -c "import schemathesis" 2>/dev/null; then
  echo "setup: installing schemathesis"
  python3 -m pip install --quiet "schemathesis==4.32.5"
fi

# The API reference page (/api/v1/docs) is tested in Debian's headless chromium, driven with selenium (PyPI).
if ! python3 -c "import selenium" 2>/dev/null; then
  echo "setup: installing selenium"
  python3 -m pip install --quiet selenium
fi

# The console's pages are checked for accessibility by axe-core (Deque's engine) inside that browser: the copy
# axe-playwright-python ships, installed without Playwright, which the tests do not use.
if ! python3 -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('axe_playwright_python') is None)" 2>/dev/null; then
  echo "setup: installing axe-core (axe-playwright-python)"
  python3 -m pip install --quiet --no-deps "axe-playwright-python==0.1.8"
fi

# /__ozzi/metrics is read back by the Prometheus project's own parser of the text format (PyPI prometheus-client).
if ! python3 -c "import prometheus_client" 2>/dev/null; then
  echo "setup: installing prometheus-client"
  python3 -m pip install --quiet prometheus-client
fi

# Email: the SMTP client is tested against aiosmtpd (STARTTLS, AUTH) with its DKIM signatures checked by
# dkimpy, and sending-domain checks against a local DNS server made with dnslib (all PyPI).
for module in aiosmtpd:aiosmtpd dkim:dkimpy dnslib:dnslib; do
  if ! python3 -c "import ${module%%:*}" 2>/dev/null; then
    echo "setup: installing ${module#*:}"
    python3 -m pip install --quiet "${module#*:}"
  fi
done

if ! command -v swift >/dev/null && [ ! -x /opt/swift/usr/bin/swift ]; then
  echo "setup: the Swift 6 toolchain is required (expected on PATH or at /opt/swift/usr/bin)" >&2
  exit 1
fi

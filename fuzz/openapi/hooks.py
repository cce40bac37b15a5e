"""Schemathesis hooks for the api worker's contract fuzz (schemathesis.toml beside this file says how it runs).

One hook: the credential. The fuzzer calls every operation with ids it read from earlier answers,
`DELETE /api/v1/api-keys/{id}` and `PATCH ... {"active": false}` included, so a fixed key given with `-H`
dies part-way through the run and every later request is a 401 about the harness, not the contract.
This provider mints an API key with a session token the fuzzer never sees (so it cannot sign that
session out either), and schemathesis asks it again after a 401, so a deleted key is replaced.

Formats of ours, which JSON Schema cannot state and the document names (`format`) and describes: a
phone number valid in its country's numbering plan, a send time at most a year ahead, a recurring send's
first and last days. Generators ignore
formats they do not know, so without these every string would count as one; with them the fuzzer draws
from what the description says (and still tries what the formats' patterns refuse, as invalid data).
"""

import datetime
import os

import requests
import schemathesis
from hypothesis import strategies as st


def _declares_security(ctx) -> bool:
    # Open operations (sign-up, sign-in, webhooks) get no credential, as a real client would send none.
    operation = ctx.operation
    return bool(operation.definition.raw.get("security", operation.schema.raw_schema.get("security")))


@schemathesis.auth(retry_on=[401]).apply_to(_declares_security)
class MintedAPIKey:
    def get(self, case, context):
        base = context.operation.schema.get_base_url()
        token = os.environ["OZZI_FUZZ_SESSION_TOKEN"]
        # The same minute as every fuzzed request (schemathesis.toml's request-timeout): on two busy CI cores
        # minting a key can take longer than 10 s, and the timeout would be a finding about the machine.
        answer = requests.post(f"{base}/api/v1/api-keys", json={"name": "schemathesis"},
                               headers={"Authorization": f"Bearer {token}"}, timeout=60)
        answer.raise_for_status()
        return answer.json()["key"]

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


# North American numbers (+1, area and exchange codes 2-9xx, as the plan for US/CA allows), written as
# people write them: E.164, or national with spaces, dashes or parentheses (the workspace's country is US).
_digits = st.integers(min_value=200, max_value=999).map(str)
_line = st.integers(min_value=0, max_value=9999).map(lambda n: f"{n:04d}")
schemathesis.openapi.format("phone", st.one_of(
    st.builds(lambda a, e, l: f"+1{a}{e}{l}", _digits, _digits, _line),
    st.builds(lambda a, e, l: f"({a}) {e}-{l}", _digits, _digits, _line),
    st.builds(lambda a, e, l: f"+44 20 {e}{l[:1]} {l}", _digits, _digits, _line),
))

# An instant from now to 360 days ahead, in UTC with Z (local times need a time_zone beside them).
schemathesis.openapi.format("schedule-time", st.integers(min_value=0, max_value=360 * 86_400).map(
    lambda seconds: (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds))
    .strftime("%Y-%m-%dT%H:%M:%SZ")))

# A recurring send's days: JSON Schema cannot compare two fields or a date with today, so the end is drawn
# after every start (starts_on up to a year either side of today, ends_on one to two years ahead).
def _day(offset):
    return (datetime.date.today() + datetime.timedelta(days=offset)).isoformat()


schemathesis.openapi.format("series-start", st.integers(min_value=-365, max_value=365).map(_day))
schemathesis.openapi.format("series-end", st.integers(min_value=367, max_value=730).map(_day))

# New passwords: the document states the lengths and "three different characters"; not containing the
# email's name and not being a common password are rules no schema can state, so draw passwords without
# letters (the email's name cannot be in them) and never one of the common ones.
_common = {"1234567890", "0123456789"}
schemathesis.openapi.format("password", st.text(alphabet="0123456789!#%&*+-=?^_~", min_size=10, max_size=40)
                            .filter(lambda p: len(set(p)) > 2 and p not in _common))

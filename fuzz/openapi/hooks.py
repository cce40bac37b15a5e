"""Schemathesis hooks for the api worker's contract fuzz (schemathesis.toml beside this file says how it runs).

One hook: the credential. The fuzzer calls every operation with ids it read from earlier answers,
`DELETE /api/v1/api-keys/{id}` and `PATCH ... {"active": false}` included, so a fixed key given with `-H`
dies part-way through the run and every later request is a 401 about the harness, not the contract.
This provider mints an API key with a session token the fuzzer never sees (so it cannot sign that
session out either), and schemathesis asks it again after a 401, so a deleted key is replaced.
"""

import os

import requests
import schemathesis


def _declares_security(ctx) -> bool:
    # Open operations (sign-up, sign-in, webhooks) get no credential, as a real client would send none.
    operation = ctx.operation
    return bool(operation.definition.raw.get("security", operation.schema.raw_schema.get("security")))


@schemathesis.auth(retry_on=[401]).apply_to(_declares_security)
class MintedAPIKey:
    def get(self, case, context):
        base = context.operation.schema.get_base_url()
        token = os.environ["OZZI_FUZZ_SESSION_TOKEN"]
        answer = requests.post(f"{base}/api/v1/api-keys", json={"name": "schemathesis"},
                               headers={"Authorization": f"Bearer {token}"}, timeout=10)
        answer.raise_for_status()
        return answer.json()["key"]

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"

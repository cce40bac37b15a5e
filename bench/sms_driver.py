"""What the SMS benchmarks' drivers share: an API client with a key, ISO times, and reading how a
campaign's messages went from the api worker's database (read-only, beside the running host)."""
import json
import sqlite3
import time
import urllib.request
from datetime import datetime, timezone


class API:
    def __init__(self, port, key):
        self.base, self.key = f"http://127.0.0.1:{port}/api/v1", key

    def call(self, method, path, body=None, content_type="application/json"):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Authorization": "Bearer " + self.key, "Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read() or b"null")


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Campaigns:
    def __init__(self, data_dir):
        self.db = sqlite3.connect(f"file:{data_dir}/api/d1/api.sqlite?mode=ro", uri=True, timeout=30)

    def sent(self, campaign):
        return self.db.execute("SELECT count(*) FROM messages WHERE campaign = ? AND sent_ms IS NOT NULL", (campaign,)).fetchone()[0]

    def wait_sent(self, campaign, total, limit_s):
        deadline = time.time() + limit_s
        while self.sent(campaign) < total and time.time() < deadline:
            time.sleep(0.2)
        return self.sent(campaign)

    def percentile(self, campaign, p):
        """Due-to-sent lateness (ms) at quantile p of the campaign's sent messages."""
        n = self.sent(campaign)
        offset = max(0, min(n - 1, int(n * p + 0.999999) - 1))
        return self.db.execute("SELECT max(0, sent_ms - due_ms) FROM messages WHERE campaign = ? AND sent_ms IS NOT NULL "
                               "ORDER BY max(0, sent_ms - due_ms) LIMIT 1 OFFSET ?", (campaign, offset)).fetchone()[0]

    def span(self, campaign):
        """The first due time and the last sent time, in ms."""
        return self.db.execute("SELECT min(due_ms), max(sent_ms) FROM messages WHERE campaign = ?", (campaign,)).fetchone()

"""What the SMS benchmarks' drivers share: an API client with a key, ISO times, and reading how a
campaign's messages went from the api worker's database (read-only, beside the running host): its SQLite
file, or its schema on PostgreSQL when the hosts share one."""
import json
import sqlite3
import subprocess
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
    """`source` is the host's data folder (SQLite) or a postgresql:// URL (the api worker's schema there)."""

    def __init__(self, source):
        if source.startswith("postgres"):
            self.url = source
        else:
            self.db = sqlite3.connect(f"file:{source}/api/d1/api.sqlite?mode=ro", uri=True, timeout=30)

    def _row(self, sql, campaign, *rest):
        """One row of `sql`, whose first parameter is the campaign; the rest are integers."""
        if hasattr(self, "db"):
            return self.db.execute(sql, (campaign, *rest)).fetchone()
        # psql, as the benchmarks install no PostgreSQL driver for Python: parameters are inlined, so
        # only a campaign name of our own (no quote) and integers go in.
        assert "'" not in campaign
        text = sql.replace("?", f"'{campaign}'", 1)
        for value in rest:
            text = text.replace("?", str(int(value)), 1)
        out = subprocess.run(["psql", self.url, "-AtXq", "-v", "ON_ERROR_STOP=1", "-c", "SET search_path = api", "-c", text],
                             check=True, capture_output=True, text=True).stdout.strip()
        return tuple(None if v == "" else int(v) for v in out.split("|"))

    def sent(self, campaign):
        return self._row("SELECT count(*) FROM messages WHERE campaign = ? AND sent_ms IS NOT NULL", campaign)[0]

    def wait_sent(self, campaign, total, limit_s, every_s=0.2):
        deadline = time.time() + limit_s
        while self.sent(campaign) < total and time.time() < deadline:
            time.sleep(every_s)
        return self.sent(campaign)

    def percentile(self, campaign, p):
        """Due-to-sent lateness (ms) at quantile p of the campaign's sent messages."""
        n = self.sent(campaign)
        offset = max(0, min(n - 1, int(n * p + 0.999999) - 1))
        lateness = "CASE WHEN sent_ms > due_ms THEN sent_ms - due_ms ELSE 0 END"
        return self._row(f"SELECT {lateness} FROM messages WHERE campaign = ? AND sent_ms IS NOT NULL "
                         f"ORDER BY {lateness} LIMIT 1 OFFSET ?", campaign, offset)[0]

    def span(self, campaign):
        """The first due time and the last sent time, in ms."""
        return self._row("SELECT min(due_ms), max(sent_ms) FROM messages WHERE campaign = ?", campaign)

"""The search benchmark's three steps (bench/search.sh says what each does):

    search_driver.py setup PORT KEY OUT.json
    search_driver.py fill DATABASE SETUP.json MESSAGES
    search_driver.py measure PORT KEY SETUP.json QUERIES HOST_PID
"""
import bisect
import http.client
import json
import random
import sqlite3
import statistics
import sys
import time

VOCABULARY = 20_000
SEED = 21


def vocabulary():
    """20,000 pronounceable words, the same every run, with Zipf weights (s = 1.1): a few words are
    everywhere, most are rare, as in what people write."""
    rng = random.Random(SEED)
    consonants, vowels = "bcdfghjklmnprstvwz", "aeiou"
    words, seen = [], set()
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(VOCABULARY)]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return words, cumulative, total


class API:
    def __init__(self, port, key):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.key = key

    def call(self, method, path, body=None):
        self.connection.request(method, "/api/v1" + path, None if body is None else json.dumps(body),
                                {"authorization": "Bearer " + self.key, "content-type": "application/json"})
        answer = self.connection.getresponse()
        data = answer.read()
        if answer.status >= 300:
            raise RuntimeError(f"{method} {path}: {answer.status} {data[:300]}")
        return json.loads(data) if data else None


def setup(port, key, out):
    api = API(int(port), key)
    words, _, _ = vocabulary()
    community = api.call("POST", "/communities", {"name": "Bench runners", "description": "Everything about " + " ".join(words[100:110])})
    channels = [api.call("GET", f"/communities/{community['id']}/channels")["data"][0]["id"]]
    for n in range(19):
        made = api.call("POST", f"/communities/{community['id']}/channels",
                        {"name": f"{words[200 + n]}-{n}", "topic": " ".join(words[300 + 3 * n:303 + 3 * n]), "private": n == 0})
        channels.append(made["id"])
    me = api.call("GET", "/me")
    for n in range(1000):
        api.call("POST", "/contacts", {"name": f"{words[1000 + n].capitalize()} {words[3000 + n].capitalize()}",
                                       "email": f"{words[1000 + n]}.{n}@example.com"})
    json.dump({"community": community["id"], "channels": channels, "author": me["user"]["id"] if "user" in me else me["id"]}, open(out, "w"))
    print(f"community {community['id']}: {len(channels)} channels (one private), 1,000 contacts")


def fill(database, setup_file, count):
    count = int(count)
    setup = json.load(open(setup_file))
    words, cumulative, total = vocabulary()
    rng = random.Random(SEED + 1)
    db = sqlite3.connect(database)
    db.execute("PRAGMA journal_mode = WAL")
    (seq,) = db.execute("SELECT last_seq FROM communities WHERE id = ?", (setup["community"],)).fetchone()
    start = time.time()
    now = time.time()

    def body():
        return " ".join(words[bisect.bisect_left(cumulative, rng.random() * total)] for _ in range(rng.randint(5, 25)))

    db.execute("BEGIN")
    batch = []
    for n in range(count):
        seq += 1
        at = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(now - (count - n) * 7.776))  # spread over 90 days
        batch.append((setup["community"], seq, setup["channels"][n % len(setup["channels"])], setup["author"], body(), at))
        if len(batch) == 5000:
            db.executemany("INSERT INTO community_messages (community_id, seq, channel_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)", batch)
            batch.clear()
    if batch:
        db.executemany("INSERT INTO community_messages (community_id, seq, channel_id, author_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)", batch)
    db.execute("UPDATE communities SET last_seq = ? WHERE id = ?", (seq, setup["community"]))
    db.execute("COMMIT")
    db.execute("INSERT INTO community_messages_fts (community_messages_fts) VALUES ('optimize')")
    db.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"{count:,} messages written and indexed in {time.time() - start:.1f} s")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(port, key, setup_file, queries, pid):
    queries = int(queries)
    setup = json.load(open(setup_file))
    api = API(int(port), key)
    words, _, _ = vocabulary()
    rng = random.Random(SEED + 2)
    from urllib.parse import quote

    def timed(path):
        started = time.perf_counter()
        answer = api.call("GET", path)
        return (time.perf_counter() - started) * 1000, answer

    # Warm-up: the first queries read the index from disk into the page cache.
    for n in range(50):
        timed("/search?q=" + quote(words[50 + n]))
    search, typeahead, hits = [], [], []
    for n in range(queries):
        picked = [words[rng.randint(50, 3000)] for _ in range(rng.choice([1, 2]))]
        if rng.random() < 0.5:
            picked[-1] = picked[-1][:rng.randint(3, 6)]
        ms, answer = timed("/search?q=" + quote(" ".join(picked)))
        search.append(ms)
        hits.append(len(answer["data"]))
    names = [w for w in words[1000:2000]] + [w for w in words[200:220]]
    for n in range(queries):
        name = rng.choice(names)
        ms, _ = timed("/search?types=channels,communities,members,contacts&q=" + quote(name[:rng.randint(2, 4)]))
        typeahead.append(ms)
    # Written with the message: a post is found by the very next request.
    marker = "zqxjv" + str(random.randint(10_000, 99_999))
    api.call("POST", f"/communities/{setup['community']}/channels/{setup['channels'][1]}/messages", {"body": f"fresh words {marker} here"})
    _, fresh = timed("/search?types=messages&q=" + marker)
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS:"))

    def line(name, values, target):
        p99 = percentile(values, 99)
        print(f"{name}: {len(values)} queries, p50 {percentile(values, 50):.2f} ms, p90 {percentile(values, 90):.2f} ms, "
              f"p99 {p99:.2f} ms, max {max(values):.2f} ms; target p99 < {target} ms: {target / p99:.2f}x of the budget")

    line("search (every type)", search, 20)
    print(f"  hits per search: mean {statistics.mean(hits):.1f} (limit 20)")
    line("typeahead (names)", typeahead, 10)
    print(f"a message posted just now, searched by the next request: {len(fresh['data'])} hit(s); host RSS {rss} MB")


if __name__ == "__main__":
    {"setup": setup, "fill": fill, "measure": measure}[sys.argv[1]](*sys.argv[2:])

#!/usr/bin/env python3
"""What the SQL of one phase of a run cost: the difference between two copies of an OZZI_SQL_PROFILE table
(see SQLStatementProfile), costliest statement first.

Usage: OZZI_SQL_PROFILE=/tmp/sql.tsv bash bench/email.sh 20000 &  (copy /tmp/sql.tsv when the phase starts
and when it ends), then: python3 bench/sql-profile-diff.py before.tsv after.tsv [rows]
"""
import sys


def load(path):
    table = {}
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t", 3)
        if len(parts) == 4:
            table[parts[3]] = (int(parts[0]), int(parts[1]))
    return table


before, after = load(sys.argv[1]), load(sys.argv[2])
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 30
spent = sorted(((ms - before.get(key, (0, 0))[0], count - before.get(key, (0, 0))[1], key) for key, (ms, count) in after.items()), reverse=True)
print(f"{sum(row[0] for row in spent)} ms of statement CPU time in all")
for ms, count, key in spent[:rows]:
    print(f"{ms:7d} ms {count:8d} x {1000 * ms / max(count, 1):8.1f} us  {key[:160]}")

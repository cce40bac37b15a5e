"""Expands RRULEs with python-dateutil's rrule, the reference EventRecurrence is compared with.

Takes one argument, a JSON list of cases, so that one process serves a whole suite:
  {"rule": "FREQ=...", "start": <local seconds>, "zone": "America/New_York" | null,
   "from": <local seconds>, "to": <local seconds>, "limit": <int>}
"Local seconds" are wall-clock seconds since 1970-01-01T00:00 as if the zone were UTC. With a zone the
DTSTART is aware (dateutil needs that for a UTC UNTIL, and compares UNTIL as an instant); without one it is
naive (floating or all-day).

Prints {"results": [...]}, one entry per case, in order:
  {"occurrences": [<local seconds>, ...]   those with from <= occurrence < to, at most limit,
   "starts_with_dtstart": bool,            whether the rule's first occurrence is DTSTART (dateutil skips
                                           a DTSTART the rule does not pick, RFC 5545 does not),
   "last": <local seconds> | null}         the last occurrence of a rule with COUNT or UNTIL
or {"error": "..."} when dateutil refuses the rule.
"""
import datetime
import json
import sys
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

EPOCH = datetime.datetime(1970, 1, 1)


def local_seconds(moment):
    return int((moment.replace(tzinfo=None) - EPOCH).total_seconds())


def expand(case):
    start = EPOCH + datetime.timedelta(seconds=case["start"])
    if case.get("zone"):
        start = start.replace(tzinfo=ZoneInfo(case["zone"]))
    rule = rrulestr(case["rule"], dtstart=start)
    occurrences = []
    for occurrence in rule:
        seconds = local_seconds(occurrence)
        if seconds >= case["to"] or len(occurrences) >= case["limit"]:
            break
        if seconds >= case["from"]:
            occurrences.append(seconds)
    first = next(iter(rule), None)
    upper = case["rule"].upper()
    last = None
    if "COUNT=" in upper or "UNTIL=" in upper:
        every = list(rule)
        last = local_seconds(every[-1]) if every else None
    return {"occurrences": occurrences, "starts_with_dtstart": first == start, "last": last}


results = []
for case in json.loads(sys.argv[1]):
    try:
        results.append(expand(case))
    except (ValueError, TypeError) as error:
        results.append({"error": f"{type(error).__name__}: {error}"})
print(json.dumps({"results": results}))

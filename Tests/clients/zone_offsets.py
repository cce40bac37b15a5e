"""What Python's zoneinfo (which reads the installed TZif files, the same ones ZoneRules reads) says about
some zones, as JSON, for ZoneRules' tests.

The one argument is a JSON object:
  {"zones": [names],
   "every": [[start, end, step], ...]   UTC instants range(start, end, step), optional
   "at": [instants],                    UTC instants, optional
   "local": [wall-clock seconds],       seconds since 1970 as if the zone were UTC, optional
   "local_every": [[start, end, step], ...]}   wall-clock times range(start, end, step), optional
and the answer is
  {"tzdata": "2025b", "tzpath": [...],
   "zones": {name: {"every": [offsets], "at": [offsets], "local": [instants], "local_every": [instants]}}}
(ranges keep long runs of instants out of the command line, whose single arguments Linux caps at 128 KiB).
where an offset is in seconds east of UTC and a wall-clock time is read with fold=0 (PEP 495: the earlier of
two instants in a repeated hour; in a skipped hour, the offset in force before the change)."""
import json
import sys
import zoneinfo
from datetime import datetime, timedelta, timezone

UTC_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
NAIVE_EPOCH = datetime(1970, 1, 1)

request = json.loads(sys.argv[1])


def offset(zone, instant):
    # astimezone rather than fromtimestamp: no platform time_t limits before 1970 or after 2038.
    return int((UTC_EPOCH + timedelta(seconds=instant)).astimezone(zone).utcoffset().total_seconds())


def instant(zone, wall):
    local = (NAIVE_EPOCH + timedelta(seconds=wall)).replace(tzinfo=zone, fold=0)
    return int((local - UTC_EPOCH).total_seconds())


def tzdata_version():
    for directory in zoneinfo.TZPATH:
        try:
            with open(f"{directory}/tzdata.zi") as file:
                return file.readline().split()[-1]
        except OSError:
            continue
    return None


answer = {}
for name in request["zones"]:
    zone = zoneinfo.ZoneInfo(name)
    answer[name] = {
        "every": [offset(zone, t) for start, end, step in request.get("every", []) for t in range(start, end, step)],
        "at": [offset(zone, t) for t in request.get("at", [])],
        "local": [instant(zone, wall) for wall in request.get("local", [])],
        "local_every": [instant(zone, wall) for start, end, step in request.get("local_every", []) for wall in range(start, end, step)],
    }

print(json.dumps({"tzdata": tzdata_version(), "tzpath": list(zoneinfo.TZPATH), "zones": answer}))

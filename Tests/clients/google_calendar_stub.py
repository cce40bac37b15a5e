"""A local stand-in for Google's OAuth 2 endpoints and the Google Calendar v3 API, checking the wire format
strictly (what Google accepts) and recording every request, for live tests of the Google Calendar sync.

Usage: google_calendar_stub.py CLIENT_ID CLIENT_SECRET [--user EMAIL] (EMAIL defaults to ada@example.com).
Prints "PORT <n>" once listening on 127.0.0.1 (HTTP/1.1, keep-alive, Content-Length on every answer, 204s
included, a thread per connection). Time is real time (time.time()): `created`, `updated`, token expiry and
channel expiration. Every JSON answer is `application/json; charset=UTF-8`. Timestamps written by the stub
are RFC 3339 UTC with milliseconds, like 2026-12-03T10:00:00.123Z.

OAUTH
- GET /o/oauth2/v2/auth (what a browser follows) checks: response_type=code; client_id == CLIENT_ID;
  redirect_uri an http(s) URL with a host and no fragment; scope (space separated) holding
  https://www.googleapis.com/auth/calendar; state non-empty; code_challenge 43-128 of [A-Za-z0-9-._~];
  code_challenge_method=S256; access_type=offline; prompt=consent (a space separated list holding consent is
  accepted too, as Google does); no parameter given twice. Any problem -> 400 text/plain naming every problem,
  one a line. Else 302, Location: <redirect_uri>?code=<code>&state=<state>&scope=<scope> (`&` instead of `?`
  when redirect_uri has a query), each value percent-encoded (spaces as %20, ':' and '/' left in scope).
  Codes look like Google's, "4/0A..." (the '/' arrives as %2F: decode the callback). A code remembers the
  challenge, redirect_uri, client_id, scope and user, lives 10 minutes and is spent by a successful exchange.
- POST /token needs Content-Type application/x-www-form-urlencoded (charset allowed), no field given twice,
  else 400 {"error":"invalid_request","error_description":...}. Then client_id and client_secret fields must
  be CLIENT_ID/CLIENT_SECRET (HTTP Basic is not looked at), else 401 {"error":"invalid_client",
  "error_description":"The OAuth client was not found."}. Then by grant_type:
  - authorization_code: a missing code, redirect_uri or code_verifier -> 400 invalid_request ("Missing
    required parameter: <name>"); an unknown, spent or expired code -> 400 {"error":"invalid_grant",
    "error_description":"Malformed auth code."}; redirect_uri other than the authorize one -> 400
    {"error":"redirect_uri_mismatch","error_description":"Bad Request"}; BASE64URL-NOPAD(SHA256(verifier)) !=
    challenge -> 400 {"error":"invalid_grant","error_description":"Invalid code verifier."} (the code stays
    usable after a failed exchange). Else 200 {"access_token":"ya29.<random>","expires_in":3599,
    "refresh_token":"1//<random>","scope":<scope>,"token_type":"Bearer"}; the pair is a new grant.
  - refresh_token: a known refresh_token of a grant not revoked -> 200 {"access_token","expires_in":3599,
    "scope","token_type":"Bearer"} (no refresh_token); else (missing too) 400 {"error":"invalid_grant",
    "error_description":"Token has been expired or revoked."}.
  - anything else (missing too) -> 400 {"error":"unsupported_grant_type","error_description":"Invalid
    grant_type: <value>"}.
- POST /revoke with token=<access or refresh token> as a form field or in the query (Google documents the
  query form) -> 200 {} and the grant is revoked: its refresh token and every access token issued from it.
  A missing token -> 400 {"error":"invalid_request",...}; an unknown token, or one of a grant already
  revoked -> 400 {"error":"invalid_token","error_description":"Token expired or revoked"}.
Access tokens live 3599 s from issue.

CALENDAR API, under /calendar/v3
Checked in this order:
1. `Authorization: Bearer <token>` (scheme case-insensitive) naming an access token that is known, unexpired
   and of a grant not revoked, else 401 with WWW-Authenticate and {"error":{"code":401,"message":"Request had
   invalid authentication credentials.","errors":[{"message":"Invalid Credentials","domain":"global",
   "reason":"authError","location":"Authorization","locationType":"header"}],"status":"UNAUTHENTICATED"}}.
2. The route (below); anything else under /calendar/v3 -> 404 reason "notFound".
3. POST/PATCH bodies: Content-Type application/json (parameters allowed) and a JSON object (NaN/Infinity
   refused), else 400 reason "parseError".
4. A scripted failure (GET /_control/fail) whose path prefix matches -> its status, before anything else.
5. The calendar: "primary" is an alias of the user's calendar (as at Google); another unknown calendar id
   (the URL-decoded path segment) -> 404 reason "notFound".
Errors have Google's shape {"error":{"code":C,"message":M,"errors":[{"domain":"global" (or "calendar",
"usageLimits"),"reason":R,"message":M}]}}. Unknown query parameters (fields, alt, prettyPrint...) and unknown
body keys are ignored.

Calendars (made at start and by /reset): the user's, id = EMAIL, summary EMAIL, timeZone America/New_York,
primary; "team@group.calendar.google.com", summary "Team", timeZone Europe/Berlin. Both accessRole owner; and
"busy@group.calendar.google.com", summary "Busy only", timeZone UTC, accessRole freeBusyReader (listed only).

- GET /users/me/calendarList (maxResults 1-250, default 100; pageToken) -> {"kind":"calendar#calendarList",
  "etag","items":[{"kind":"calendar#calendarListEntry","etag","id","summary","timeZone","accessRole",
  "primary"?:true,"backgroundColor":"#9fc6e7"}], "nextPageToken"?}.

Event resource: {"kind":"calendar#event","etag":"\\"<16+ digits>\\"","id","status","htmlLink","created",
"updated","summary"?,"description"?,"location"?,"creator":{"email":EMAIL},"organizer":{"email":<calendar
id>,"self":true},"start","end","recurrence"?,"recurringEventId"?,"originalStartTime"?,"attendees"?:[{"email",
"displayName"?,"optional"?,"responseStatus"}],"extendedProperties"?,"iCalUID","sequence","eventType":
"default"}. summary is left out when never given (as Google does for an untitled event). A dateTime is
written as Google does: the instant rendered in the event's timeZone (the calendar's when it has none),
seconds precision, offset "+HH:MM"/"-HH:MM" ("Z" for offset 0); a timeZone given is kept. iCalUID is
"<id>@google.com" (an exception keeps its master's). sequence starts at 0 and goes up when start, end or
recurrence change. Each change (insert, patch, delete, a control) takes a new etag (unique, increasing),
`updated` = now and the next change sequence number (used by sync tokens), and notifies the channels.

Event input (insert, and the result of a patch) - 400 reason "invalid" unless said otherwise:
- start and end: objects with exactly one of dateTime (RFC 3339; "T", "Z" upper case; fraction allowed and
  dropped) and date (YYYY-MM-DD), optional timeZone (an IANA name zoneinfo knows, else "Invalid time zone
  definition for start time."). A missing one -> reason "required", "Missing end time." (checked first) or
  "Missing start time."; a dateTime without offset and no timeZone -> reason "required", "Missing time zone
  definition for start time." (or end). Start and end of the same kind ("Start and end times must either
  both be date or both be dateTime."); end after start, else reason "timeRangeEmpty", "The specified time
  range is empty.".
- recurrence: a list of strings each starting RRULE, EXRULE, RDATE or EXDATE then ':' or, for RFC 5545
  parameters Google accepts (EXDATE;TZID=America/New_York:20261208T090000), ';' ([] = none). A recurring
  timed event needs a timeZone on start and end (Google's documented rule; reason "required", "Missing time
  zone definition for start time."). An instance exception may not have one.
- attendees: a list of objects, email required (reason "required", "Missing attendee email.") and
  looking like an address; displayName a string; responseStatus one of needsAction (the default), declined,
  tentative, accepted; optional a boolean. [] = none.
- summary, description, location strings; status confirmed, tentative or cancelled (default confirmed);
  extendedProperties {"private"?: {str: str}, "shared"?: {str: str}} (stored and given back).
- Ignored: etag, updated, created, kind, htmlLink, iCalUID, creator, organizer, sequence, eventType, and,
  through the API, recurringEventId and originalStartTime (an exception keeps its own); id on PATCH.
Instance ids: "<masterId>_<YYYYMMDD>T<HHMMSS>Z" (a UTC instant; timed master) or "<masterId>_<YYYYMMDD>"
(all-day master), the master existing, not cancelled and with recurrence, name one occurrence (the rule is
not checked). While no exception with that id is stored, the occurrence is virtual: a copy of the master
without recurrence, with "recurringEventId": masterId, "originalStartTime" ({"dateTime": the instant rendered
in the master's start timeZone (the calendar's if none), "timeZone": the master's if it has one} or
{"date"}), start = originalStartTime, end = start + the master's length, the master's etag and created.

- GET /calendars/{calendarId}/events, query: maxResults 1-2500 (default 250), pageToken, syncToken,
  singleEvents and showDeleted (true/false, default false), timeMin/timeMax/updatedMin (RFC 3339 with an
  offset), orderBy (startTime or updated), q, iCalUID, privateExtendedProperty/sharedExtendedProperty
  (name=value, repeatable, all must match). 400 reason "invalid" naming the parameter for: a bad value;
  syncToken beside timeMin, timeMax, orderBy, q, updatedMin, iCalUID, privateExtendedProperty or
  sharedExtendedProperty; orderBy=startTime without singleEvents=true; an unknown pageToken or one of
  another calendar. timeMin >= timeMax -> 400 reason "timeRangeEmpty". A syncToken this stub did not issue,
  issued for another calendar, invalidated or issued before a /reset -> 410 {"error":{"code":410,"message":
  "Sync token is no longer valid, a full sync is required.","errors":[{"domain":"calendar","reason":
  "fullSyncRequired","message":"Sync token is no longer valid, a full sync is required."}]}}.
  Without syncToken the items are the calendar's stored events (exceptions are items of their own; with
  singleEvents=true the same items are listed, nothing is expanded) where: a cancelled event only with
  showDeleted=true, or, as Google documents, a cancelled exception (one with recurringEventId) when
  singleEvents=false, or with updatedMin given; timeMin/timeMax keep the events overlapping [timeMin, timeMax)
  (all-day dates at midnight in the calendar's zone; a recurring master counts as reaching forever);
  updatedMin keeps updated >= it; q a case-insensitive substring of summary, description, location or an
  attendee's email or name; iCalUID equal. Order: by id; orderBy=startTime by start then id; orderBy=updated by
  updated then id. With syncToken: every stored event (cancelled ones always) changed after the token was
  issued, by id. A page holds at most min(maxResults, the page-size control) items; when more remain it
  carries nextPageToken (reusable), else nextSyncToken, which covers the changes made after the listing's first
  page was answered (changes between pages are listed again by the next sync). A pageToken keeps the first
  page's parameters (only maxResults, when given again, is taken from the request); pages after a change list
  what then matches past the last item given. Items: the full event, but a cancelled one is reduced to
  {"kind","etag","id","status":"cancelled","recurringEventId"?,"originalStartTime"?} (Google does this).
  Answer {"kind":"calendar#events","etag","summary","timeZone","updated" (the calendar's last change),
  "accessRole":"owner","defaultReminders":[],"items":[...],"nextPageToken"|"nextSyncToken"}.
- POST /calendars/{calendarId}/events: an `id` given must match ^[a-v0-9]{5,1024}$ (else 400 "invalid",
  "Invalid resource id value."); one used in that calendar, cancelled too -> 409 reason "duplicate", "The
  requested identifier already exists."; without one, 26 characters of [a-v0-9]. -> 200 the event.
- GET /calendars/{calendarId}/events/{eventId} -> 200 the event (cancelled ones too, full; a virtual
  occurrence as described); unknown -> 404 "notFound".
- PATCH /calendars/{calendarId}/events/{eventId}: If-Match, when given, must equal the current etag ("*"
  matches any), else 412 reason "conditionNotMet", "Precondition Failed". Top-level keys replace the event's
  whole (start, end, attendees, recurrence, extendedProperties too); null removes an optional key (null start
  or end -> "Missing ... time."; null status is ignored); the result is validated. A cancelled event stays
  cancelled unless the body sets status (confirmed restores it). A virtual occurrence becomes a stored
  exception in the same change. -> 200 the event.
- DELETE /calendars/{calendarId}/events/{eventId}: If-Match as above (412); unknown -> 404 "notFound";
  already cancelled -> 410 reason "deleted", "Resource has been deleted"; else status cancelled (kept for
  sync), a change -> 204, empty body. A virtual occurrence becomes a cancelled exception.
- POST /calendars/{calendarId}/events/watch {"id": 1-64 of [A-Za-z0-9-_+/=] (Google's rule), "type":
  "web_hook" or "webhook", "address": an http(s) URL with a host, "token"?: a string of at most 256,
  "params"?: {"ttl": "<positive integer seconds, a string>"}} -> a problem: 400 "invalid" naming it; an id of a
  channel not stopped nor expired -> 400 reason "channelIdNotUnique", "Channel id not unique". -> 200
  {"kind":"api#channel","id","resourceId":"rsrc-<fixed per calendar>","resourceUri":"http://<Host header>/
  calendar/v3/calendars/<calendar id, '@' kept>/events?alt=json","token"?,"expiration":"<epoch ms>"},
  expiration = now + ttl (params, else the default: 604800 s, GET /_control/ttl). Once the answer is written,
  the channel gets its "sync" notification (message number 1).
- POST /channels/stop {"id","resourceId"} (both strings) -> 204, no more notifications (queued ones dropped);
  no channel with that pair that is not stopped -> 404 "notFound".
Notifications: each change to a calendar's events (API or control) queues, for every channel of that calendar
not stopped and unexpired, a POST to its address with an empty body and X-Goog-Channel-ID,
X-Goog-Channel-Token (only when the channel has one), X-Goog-Channel-Expiration (RFC 1123), X-Goog-Resource-ID,
X-Goog-Resource-URI, X-Goog-Resource-State ("sync" first, then "exists") and X-Goog-Message-Number (1 for
sync, then +1 per notification of that channel). Each channel has its own sender thread (in order, 5 s timeout,
no lock held, never delaying an answer). Each one sent is recorded as {"channel_id","state","message_number",
"status" (our server's HTTP status, or null on a connection error or timeout)}. In "drop" mode a change's
notification is not sent nor recorded, but its message number is used (a lost push); sync ones are still sent.

CONTROLS (not recorded; a bad parameter or body -> 400 text/plain naming the problem)
- POST /_control/events?calendar=<id> body = an event as a person makes it in Google's UI: same validation as
  an insert; "id" may be given (^[a-v0-9]{5,1024}$, or an instance id); "recurringEventId" (a stored master
  with recurrence, not cancelled) with "originalStartTime" (same kind as the master's start) makes an
  exception directly (its id defaults to the instance id). A used id -> 400. -> 200 the stored event;
  notifies.
- PATCH /_control/events/<calendarId>/<eventId> body merged as a PATCH (no If-Match) -> 200 the event (a
  virtual occurrence becomes an exception); unknown -> 404 text; notifies.
- DELETE /_control/events/<calendarId>/<eventId> cancels it -> 200 the event; already cancelled -> 400;
  unknown -> 404; notifies.
- GET /_control/events?calendar=<id> -> the calendar's stored events, full, cancelled too, by id.
- GET /_control/invalidate-sync-tokens -> every sync token issued so far answers 410 from now on.
- GET /_control/revoke -> every grant revoked (refresh -> invalid_grant, access tokens -> 401).
- GET /_control/expire-access-tokens -> every access token issued so far answers 401 (refresh still works).
- GET /_control/notifications?mode=drop|send.
- GET /_control/notifications-sent -> the recorded notifications, oldest first.
- GET /_control/channels -> channels not stopped (expired ones included) [{"id","resourceId","calendarId",
  "address","token" (or null),"expiration" (epoch ms, a number)}].
- GET /_control/ttl?seconds=N (N >= 1) -> default ttl of later watches.
- GET /_control/forward?from=<origin>&to=<origin> -> notifications to addresses under `from` go to `to` instead
  (the test host serves its PUBLIC_URL on a loopback port, as behind a reverse proxy).
- GET /_control/page-size?n=N (1-2500) -> caps the items per page of event listings (default 250).
- GET /_control/fail?status=S&times=N&path=<prefix> (S 400-599, N >= 1 default 1, prefix default "" = all)
  queues N failures: each of the next valid, authorised Calendar API requests whose path (raw or decoded,
  with or without the leading /calendar/v3) starts with the prefix takes the first matching one and answers S:
  429 and 403 with reason "rateLimitExceeded" (domain usageLimits, "Rate Limit Exceeded"), 5xx with
  "backendError", another 4xx with a fitting reason.
- GET /requests -> every request to the OAuth and Calendar endpoints (controls not), oldest first:
  {"method","path" (raw, without the query),"query" ({name: [values]}),"authorization","if_match",
  "content_type" (each the header or null),"body" (parsed JSON; the fields {name: first value} of a form body;
  else the raw text; null when empty)}.
- GET /reset -> clears the requests, events, channels (queued notifications dropped), notifications sent,
  failures, sync and page tokens (old sync tokens then answer 410), and restores page size 250, ttl 604800
  and mode send. Codes, tokens and grants stay.
Anything else -> 404 {"error":{"code":404,"message":"Not Found",...}}. A handler that fails answers 500
text/plain with the error and the stub keeps serving.
"""
import base64
import hashlib
import http.client
import json
import queue
import re
import secrets
import ssl
import sys
import threading
import time
import traceback
from datetime import date, datetime, timedelta, timezone
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit
from zoneinfo import ZoneInfo


def usage():
    sys.exit("usage: google_calendar_stub.py CLIENT_ID CLIENT_SECRET [--user EMAIL]")


_args = sys.argv[1:]
if len(_args) < 2:
    usage()
CLIENT_ID, CLIENT_SECRET = _args[0], _args[1]
USER = "ada@example.com"
_rest = _args[2:]
while _rest:
    if _rest[0] == "--user" and len(_rest) > 1 and _rest[1]:
        USER = _rest[1]
        _rest = _rest[2:]
    else:
        usage()

CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar"
ACCESS_TTL = 3599
CODE_TTL = 600
DEFAULT_CHANNEL_TTL = 604800
DEFAULT_PAGE_SIZE = 250
TEAM_ID = "team@group.calendar.google.com"
BUSY_ID = "busy@group.calendar.google.com"
ID_ALPHABET = "abcdefghijklmnopqrstuv0123456789"
API_ID = re.compile(r"[a-v0-9]{5,1024}")
INSTANCE_ID = re.compile(r"([a-v0-9]{5,1024})_([0-9]{8})(?:T([0-9]{6})Z)?")
CHALLENGE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
CHANNEL_ID = re.compile(r"[A-Za-z0-9\-_+/=]{1,64}")
DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
DATE_TIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,9})?"
                       r"(Z|[+-][0-9]{2}:[0-9]{2})?")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
RECURRENCE_LINE = re.compile(r"(RRULE|EXRULE|RDATE|EXDATE)[:;].*", re.S)
STATUSES = ("confirmed", "tentative", "cancelled")
RESPONSE_STATUSES = ("needsAction", "declined", "tentative", "accepted")
EDITABLE = ("status", "summary", "description", "location", "start", "end", "recurrence", "attendees",
            "extendedProperties")
SYNC_CONFLICTS = ("timeMin", "timeMax", "orderBy", "q", "updatedMin", "iCalUID", "privateExtendedProperty",
                  "sharedExtendedProperty")
OAUTH_PATHS = ("/o/oauth2/v2/auth", "/token", "/revoke")
API_ROOT = "/calendar/v3"
STARTED = time.time()

lock = threading.RLock()
codes = {}           # code -> {challenge, redirect_uri, client_id, scope, user, expires, used}
grants = {}          # refresh token -> {scope, user, revoked}
access_tokens = {}   # access token -> {refresh, expires, expired}
received = []        # recorded requests
calendars = {}       # calendar id -> {id, summary, timeZone, primary}
events = {}          # calendar id -> {event id -> {"event": dict, "seq": change number}}
sync_tokens = {}     # token -> {calendar, seq, valid}
page_tokens = {}     # token -> {kind, calendar, listing, cursor}
channels = []        # live (not stopped) channels
failures = []        # [{status, prefix}]
notifications_sent = []
state = {"forward": {}, "seq": 0, "etag": 0, "gen": 0, "ttl": DEFAULT_CHANNEL_TTL, "page_size": DEFAULT_PAGE_SIZE,
         "mode": "send", "port": 0}


class ApiError(Exception):
    """A Calendar API error in Google's shape."""

    def __init__(self, status, reason, message, domain="global"):
        super().__init__(message)
        self.status, self.reason, self.message, self.domain = status, reason, message, domain

    def body(self):
        return {"error": {"code": self.status, "message": self.message,
                          "errors": [{"domain": self.domain, "reason": self.reason, "message": self.message}]}}


def invalid(message):
    return ApiError(400, "invalid", message)


# ---------------------------------------------------------------- time


def rfc3339_ms(t):
    moment = datetime.fromtimestamp(t, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def render(instant, zone):
    """An aware datetime as Google writes a dateTime: in `zone`, seconds, +HH:MM or Z."""
    local = instant.astimezone(zone)
    text = local.strftime("%Y-%m-%dT%H:%M:%S")
    total = int(local.utcoffset().total_seconds())
    if total == 0:
        return text + "Z"
    sign = "+" if total > 0 else "-"
    total = abs(total)
    return f"{text}{sign}{total // 3600:02d}:{total % 3600 // 60:02d}"


def zone_named(name):
    """The ZoneInfo of a valid IANA name, else None."""
    if not isinstance(name, str) or not name or name.startswith("/") or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except Exception:
        return None


def parse_date(text):
    if not isinstance(text, str) or not DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_date_time(text, default_zone=None):
    """(aware datetime or None, whether an offset was given). default_zone is used without an offset."""
    if not isinstance(text, str):
        return None, False
    match = DATE_TIME.fullmatch(text)
    if not match:
        return None, False
    try:
        naive = datetime(*(int(match.group(i)) for i in range(1, 7)))
    except ValueError:
        return None, False
    offset = match.group(7)
    if offset is None:
        return (naive.replace(tzinfo=default_zone) if default_zone else None), False
    if offset == "Z":
        return naive.replace(tzinfo=timezone.utc), True
    hours, minutes = int(offset[1:3]), int(offset[4:6])
    if hours > 23 or minutes > 59:
        return None, True
    delta = timedelta(hours=hours, minutes=minutes)
    return naive.replace(tzinfo=timezone(delta if offset[0] == "+" else -delta)), True


def calendar_zone(cal_id):
    return ZoneInfo(calendars[cal_id]["timeZone"])


def point_instant(point, zone):
    """The instant an (already normalised) start/end object begins at; a date at midnight in `zone`."""
    if "dateTime" in point:
        return parse_date_time(point["dateTime"])[0]
    d = date.fromisoformat(point["date"])
    return datetime(d.year, d.month, d.day, tzinfo=zone)


# ---------------------------------------------------------------- ids, tokens, state


def new_etag():
    state["etag"] = max(state["etag"] + 1, int(time.time() * 1_000_000))
    return f'"{state["etag"]}"'


def opaque_token(prefix):
    """Google-like opaque token: URL-safe base64 with '=' padding (the client must encode it in a query)."""
    return prefix + base64.urlsafe_b64encode(secrets.token_bytes(20)).decode()


def new_event_id():
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(26))


def resource_id(cal_id):
    return "rsrc-" + hashlib.sha256(cal_id.encode()).hexdigest()[:24]


def make_calendars():
    calendars.clear()
    events.clear()
    calendars[USER] = {"id": USER, "summary": USER, "timeZone": "America/New_York", "primary": True}
    calendars[TEAM_ID] = {"id": TEAM_ID, "summary": "Team", "timeZone": "Europe/Berlin", "primary": False}
    calendars[BUSY_ID] = {"id": BUSY_ID, "summary": "Busy only", "timeZone": "UTC", "primary": False, "accessRole": "freeBusyReader"}
    for cal_id in calendars:
        events[cal_id] = {}


make_calendars()


def resolve_calendar(cal_id):
    if cal_id == "primary":
        return USER
    return cal_id if cal_id in calendars else None


# ---------------------------------------------------------------- event validation


def time_point(value, which, cal_zone):
    """Validate a start/end object -> (normalised object, aware datetime or date)."""
    if value is None:
        raise ApiError(400, "required", f"Missing {which} time.")
    if not isinstance(value, dict):
        raise invalid(f"Invalid {which} time.")
    has_dt, has_d = value.get("dateTime") is not None, value.get("date") is not None
    if not has_dt and not has_d:
        raise ApiError(400, "required", f"Missing {which} time.")
    if has_dt and has_d:
        raise invalid(f"Invalid {which} time: give exactly one of date and dateTime.")
    tz_name = value.get("timeZone")
    zone = None
    if tz_name is not None:
        zone = zone_named(tz_name)
        if zone is None:
            raise invalid(f"Invalid time zone definition for {which} time.")
    if has_d:
        day = parse_date(value["date"])
        if day is None:
            raise invalid(f"Invalid {which} time.")
        out = {"date": day.isoformat()}
        if tz_name is not None:
            out["timeZone"] = tz_name
        return out, day
    instant, had_offset = parse_date_time(value["dateTime"], zone)
    if instant is None:
        if not had_offset and isinstance(value["dateTime"], str) and DATE_TIME.fullmatch(value["dateTime"]):
            raise ApiError(400, "required", f"Missing time zone definition for {which} time.")
        raise invalid(f"Invalid {which} time.")
    out = {"dateTime": render(instant, zone or cal_zone)}
    if tz_name is not None:
        out["timeZone"] = tz_name
    return out, instant


def normalise(fields, cal_id, instance):
    """Validate the editable fields of an event (after a merge) -> normalised fields."""
    zone = calendar_zone(cal_id)
    out = {}
    status = fields.get("status")
    if status is None:
        status = "confirmed"
    if status not in STATUSES:
        raise invalid("Invalid value for: status")
    out["status"] = status
    for key in ("summary", "description", "location"):
        value = fields.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise invalid(f"Invalid value for: {key}")
        out[key] = value
    end, end_value = time_point(fields.get("end"), "end", zone)
    start, start_value = time_point(fields.get("start"), "start", zone)
    if isinstance(start_value, datetime) != isinstance(end_value, datetime):
        raise invalid("Start and end times must either both be date or both be dateTime.")
    if end_value <= start_value:
        raise ApiError(400, "timeRangeEmpty", "The specified time range is empty.")
    out["start"], out["end"] = start, end
    recurrence = fields.get("recurrence")
    if recurrence is not None:
        if not isinstance(recurrence, list) or not all(
                isinstance(line, str) and RECURRENCE_LINE.fullmatch(line) for line in recurrence):
            raise invalid("Invalid recurrence rule: a list of strings starting RRULE, EXRULE, RDATE or EXDATE "
                          "followed by ':' (or ';' and parameters, as in EXDATE;TZID=...:).")
        if recurrence:
            if instance:
                raise invalid("An instance of a recurring event cannot have recurrence.")
            for which, point in (("start", start), ("end", end)):
                if "dateTime" in point and "timeZone" not in point:
                    raise ApiError(400, "required", f"Missing time zone definition for {which} time.")
            out["recurrence"] = list(recurrence)
    attendees = fields.get("attendees")
    if attendees is not None:
        if not isinstance(attendees, list):
            raise invalid("Invalid value for: attendees")
        normalised = []
        for attendee in attendees:
            if not isinstance(attendee, dict):
                raise invalid("Invalid value for: attendees")
            email = attendee.get("email")
            if email is None or email == "":
                raise ApiError(400, "required", "Missing attendee email.")
            if not isinstance(email, str) or not EMAIL.fullmatch(email):
                raise invalid("Invalid attendee email.")
            entry = {"email": email}
            if attendee.get("displayName") is not None:
                if not isinstance(attendee["displayName"], str):
                    raise invalid("Invalid value for: attendees.displayName")
                entry["displayName"] = attendee["displayName"]
            if attendee.get("optional") is not None:
                if not isinstance(attendee["optional"], bool):
                    raise invalid("Invalid value for: attendees.optional")
                if attendee["optional"]:
                    entry["optional"] = True
            response = attendee.get("responseStatus")
            if response is None:
                response = "needsAction"
            if response not in RESPONSE_STATUSES:
                raise invalid("Invalid value for: attendees.responseStatus")
            entry["responseStatus"] = response
            normalised.append(entry)
        if normalised:
            out["attendees"] = normalised
    props = fields.get("extendedProperties")
    if props is not None:
        if not isinstance(props, dict):
            raise invalid("Invalid value for: extendedProperties")
        kept = {}
        for scope in ("private", "shared"):
            values = props.get(scope)
            if values is None:
                continue
            if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
                raise invalid(f"Invalid value for: extendedProperties.{scope}")
            kept[scope] = dict(values)
        if kept:
            out["extendedProperties"] = kept
    return out


def editable(event):
    return {key: event[key] for key in EDITABLE if key in event}


def html_link(cal_id, event_id):
    eid = base64.urlsafe_b64encode(f"{event_id} {cal_id}".encode()).decode().rstrip("=")
    return f"https://www.google.com/calendar/event?eid={eid}"


def assemble(cal_id, event_id, fields, etag, created, updated, extra):
    """The event resource, keys in Google's order. extra: recurringEventId, originalStartTime, iCalUID, sequence."""
    event = {"kind": "calendar#event", "etag": etag, "id": event_id, "status": fields["status"],
             "htmlLink": html_link(cal_id, event_id), "created": created, "updated": updated}
    for key in ("summary", "description", "location"):
        if key in fields:
            event[key] = fields[key]
    event["creator"] = {"email": USER}
    event["organizer"] = {"email": cal_id, "self": True}
    event["start"], event["end"] = fields["start"], fields["end"]
    if "recurrence" in fields:
        event["recurrence"] = fields["recurrence"]
    if extra.get("recurringEventId"):
        event["recurringEventId"] = extra["recurringEventId"]
        event["originalStartTime"] = extra["originalStartTime"]
    for key in ("attendees", "extendedProperties"):
        if key in fields:
            event[key] = fields[key]
    event["iCalUID"] = extra.get("iCalUID") or f"{event_id}@google.com"
    event["sequence"] = extra.get("sequence", 0)
    event["eventType"] = "default"
    return event


def store(cal_id, event_id, fields, previous, extra=None):
    """Save a change: new etag, updated, change number; notify the calendar's channels."""
    extra = dict(extra or {})
    if previous is not None:
        for key in ("recurringEventId", "originalStartTime", "iCalUID"):
            if key in previous and key not in extra:
                extra[key] = previous[key]
        sequence = previous.get("sequence", 0)
        if any(previous.get(k) != fields.get(k) for k in ("start", "end", "recurrence")):
            sequence += 1
        extra.setdefault("sequence", sequence)
        extra.setdefault("created", previous["created"])
    now = rfc3339_ms(time.time())
    event = assemble(cal_id, event_id, fields, new_etag(), extra.get("created") or now, now, extra)
    state["seq"] += 1
    events[cal_id][event_id] = {"event": event, "seq": state["seq"]}
    notify(cal_id)
    return event


def virtual_instance(cal_id, event_id):
    """The occurrence an instance id names (not stored), or None."""
    match = INSTANCE_ID.fullmatch(event_id)
    if not match:
        return None
    record = events[cal_id].get(match.group(1))
    if record is None:
        return None
    master = record["event"]
    if master["status"] == "cancelled" or not master.get("recurrence"):
        return None
    ymd, hms = match.group(2), match.group(3)
    all_day = "date" in master["start"]
    if all_day != (hms is None):
        return None
    try:
        if all_day:
            day = date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]))
            length = date.fromisoformat(master["end"]["date"]) - date.fromisoformat(master["start"]["date"])
            original = {"date": day.isoformat()}
            start = dict(original)
            end = {"date": (day + length).isoformat()}
        else:
            instant = datetime(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:]), int(hms[:2]), int(hms[2:4]),
                               int(hms[4:]), tzinfo=timezone.utc)
            cal_zone = calendar_zone(cal_id)
            length = parse_date_time(master["end"]["dateTime"])[0] - parse_date_time(master["start"]["dateTime"])[0]
            start_tz, end_tz = master["start"].get("timeZone"), master["end"].get("timeZone")
            original = {"dateTime": render(instant, zone_named(start_tz) if start_tz else cal_zone)}
            if start_tz:
                original["timeZone"] = start_tz
            start = dict(original)
            end = {"dateTime": render(instant + length, zone_named(end_tz) if end_tz else cal_zone)}
            if end_tz:
                end["timeZone"] = end_tz
    except (ValueError, OverflowError):
        return None
    fields = editable(master)
    fields.pop("recurrence", None)
    fields["start"], fields["end"] = start, end
    extra = {"recurringEventId": master["id"], "originalStartTime": original, "iCalUID": master["iCalUID"],
             "sequence": master.get("sequence", 0)}
    event = assemble(cal_id, event_id, fields, master["etag"], master["created"], master["updated"], extra)
    return event


def find_event(cal_id, event_id):
    """(stored event or virtual occurrence, whether it is stored) or (None, False)."""
    record = events[cal_id].get(event_id)
    if record is not None:
        return record["event"], True
    return virtual_instance(cal_id, event_id), False


def check_if_match(header, event):
    if header is not None and header.strip() != "*" and header.strip() != event["etag"]:
        raise ApiError(412, "conditionNotMet", "Precondition Failed")


def apply_patch(cal_id, event_id, body, if_match):
    """PATCH semantics (API and control). Raises ApiError. Returns the stored event."""
    event, stored = find_event(cal_id, event_id)
    if event is None:
        raise ApiError(404, "notFound", "Not Found")
    check_if_match(if_match, event)
    fields = editable(event)
    for key, value in body.items():
        if key not in EDITABLE:
            continue
        if value is None:
            if key != "status":
                fields.pop(key, None)
        else:
            fields[key] = value
    normalised = normalise(fields, cal_id, "recurringEventId" in event)
    extra = {} if stored else {"recurringEventId": event["recurringEventId"],
                               "originalStartTime": event["originalStartTime"], "iCalUID": event["iCalUID"],
                               "sequence": event["sequence"], "created": event["created"]}
    return store(cal_id, event_id, normalised, event if stored else None, extra)


def apply_delete(cal_id, event_id, if_match):
    event, stored = find_event(cal_id, event_id)
    if event is None:
        raise ApiError(404, "notFound", "Not Found")
    check_if_match(if_match, event)
    if event["status"] == "cancelled":
        raise ApiError(410, "deleted", "Resource has been deleted")
    fields = editable(event)
    fields["status"] = "cancelled"
    extra = {} if stored else {"recurringEventId": event["recurringEventId"],
                               "originalStartTime": event["originalStartTime"], "iCalUID": event["iCalUID"],
                               "sequence": event["sequence"], "created": event["created"]}
    return store(cal_id, event_id, fields, event if stored else None, extra)


def reduced(event):
    if event["status"] != "cancelled":
        return event
    out = {key: event[key] for key in ("kind", "etag", "id", "status")}
    if "recurringEventId" in event:
        out["recurringEventId"] = event["recurringEventId"]
        out["originalStartTime"] = event["originalStartTime"]
    return out


# ---------------------------------------------------------------- notifications


def notify(cal_id, sync_ready=None, channel=None):
    """Queue notifications (never sends here). sync_ready: the new channel's "sync" one, after the answer."""
    now_ms = time.time() * 1000
    targets = [channel] if channel is not None else [
        ch for ch in channels if ch["calendarId"] == cal_id and ch["expiration"] > now_ms]
    for ch in targets:
        ch["messages"] += 1
        if channel is None and state["mode"] == "drop":
            continue
        ch["queue"].put({"state": "sync" if channel is not None else "exists", "number": ch["messages"],
                         "ready": sync_ready})


def deliver(address, headers):
    # A test's host serves PUBLIC_URL (https://api.test) on a loopback port: GET /_control/forward maps one
    # origin to the other, as a reverse proxy in front of it would.
    for origin, target in list(state["forward"].items()):
        if address.startswith(origin):
            address = target + address[len(origin):]
            break
    parts = urlsplit(address)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=5,
                                           context=ssl._create_unverified_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        conn.request("POST", target, body=b"", headers=headers)
        answer = conn.getresponse()
        answer.read()
        return answer.status
    except (OSError, http.client.HTTPException, ValueError):
        return None
    finally:
        conn.close()


def channel_sender(ch):
    while True:
        try:
            item = ch["queue"].get(timeout=30)
        except queue.Empty:
            with lock:
                if ch["stopped"] or ch["gen"] != state["gen"] or ch["expiration"] <= time.time() * 1000:
                    return
            continue
        if item["ready"] is not None:
            item["ready"].wait(5)
        with lock:
            if ch["stopped"] or ch["gen"] != state["gen"]:
                continue
            headers = {"X-Goog-Channel-ID": ch["id"],
                       "X-Goog-Channel-Expiration": formatdate(ch["expiration"] / 1000, usegmt=True),
                       "X-Goog-Resource-ID": ch["resourceId"], "X-Goog-Resource-URI": ch["resourceUri"],
                       "X-Goog-Resource-State": item["state"], "X-Goog-Message-Number": str(item["number"]),
                       "Content-Length": "0",
                       "User-Agent": "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)"}
            if ch["token"] is not None:
                headers["X-Goog-Channel-Token"] = ch["token"]
            address = ch["address"]
        status = deliver(address, headers)
        with lock:
            if ch["gen"] == state["gen"]:
                notifications_sent.append({"channel_id": ch["id"], "state": item["state"],
                                           "message_number": item["number"], "status": status})


# ---------------------------------------------------------------- listings


def bool_param(query, name):
    value = query.get(name)
    if value is None:
        return False
    if value not in ("true", "false"):
        raise invalid(f"Invalid value for {name}: {value!r} (true or false)")
    return value == "true"


def time_param(query, name):
    value = query.get(name)
    if value is None:
        return None
    instant, had_offset = parse_date_time(value)
    if instant is None or not had_offset:
        raise invalid(f"Invalid value for {name}: {value!r} (RFC 3339 with a time zone offset)")
    return instant


def int_param(query, name, low, high, default):
    value = query.get(name)
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]{1,9}", value) or not low <= int(value) <= high:
        raise invalid(f"Invalid value for {name}: {value!r} (an integer {low}-{high})")
    return int(value)


def property_filters(values, name):
    filters = []
    for value in values:
        if "=" not in value or not value.split("=", 1)[0]:
            raise invalid(f"Invalid value for {name}: {value!r} (name=value)")
        filters.append(tuple(value.split("=", 1)))
    return filters


def matches(record, listing, cal_id):
    event = record["event"]
    if listing["mode"] == "sync":
        return record["seq"] > listing["since"]
    if event["status"] == "cancelled":
        updated_since = listing["updatedMin"] is not None and \
            parse_date_time(event["updated"])[0] >= listing["updatedMin"]
        exception = "recurringEventId" in event and not listing["singleEvents"]
        if not (listing["showDeleted"] or exception or updated_since):
            return False
    zone = calendar_zone(cal_id)
    start, end = point_instant(event["start"], zone), point_instant(event["end"], zone)
    if listing["timeMax"] is not None and start >= listing["timeMax"]:
        return False
    if listing["timeMin"] is not None and end <= listing["timeMin"] and not event.get("recurrence"):
        return False
    if listing["updatedMin"] is not None and parse_date_time(event["updated"])[0] < listing["updatedMin"]:
        return False
    if listing["iCalUID"] is not None and event["iCalUID"] != listing["iCalUID"]:
        return False
    if listing["q"]:
        needle = listing["q"].lower()
        texts = [event.get(k, "") for k in ("summary", "description", "location")]
        for attendee in event.get("attendees", []):
            texts += [attendee["email"], attendee.get("displayName", "")]
        if not any(needle in text.lower() for text in texts):
            return False
    for scope, key in (("private", "private_props"), ("shared", "shared_props")):
        props = event.get("extendedProperties", {}).get(scope, {})
        if any(props.get(name) != value for name, value in listing[key]):
            return False
    return True


def sort_key(record, order, cal_id):
    event = record["event"]
    if order == "startTime":
        return (point_instant(event["start"], calendar_zone(cal_id)).timestamp(), event["id"])
    if order == "updated":
        return (event["updated"], event["id"])
    return (event["id"],)


def list_events(cal_id, query, multi):
    """Answer body of GET .../events (raises ApiError). Called with the lock held."""
    max_given = "maxResults" in query
    max_results = int_param(query, "maxResults", 1, 2500, 250)
    single = bool_param(query, "singleEvents")
    show_deleted = bool_param(query, "showDeleted")
    time_min, time_max = time_param(query, "timeMin"), time_param(query, "timeMax")
    updated_min = time_param(query, "updatedMin")
    order = query.get("orderBy")
    if order is not None and order not in ("startTime", "updated"):
        raise invalid(f"Invalid value for orderBy: {order!r} (startTime or updated)")
    private_props = property_filters(multi.get("privateExtendedProperty", []), "privateExtendedProperty")
    shared_props = property_filters(multi.get("sharedExtendedProperty", []), "sharedExtendedProperty")
    if "syncToken" in query:
        clash = [name for name in SYNC_CONFLICTS if name in query]
        if clash:
            raise invalid(f"The syncToken parameter cannot be used together with {', '.join(clash)}.")
    if order == "startTime" and not single:
        raise invalid("orderBy=startTime is only available with singleEvents=true.")
    if time_min is not None and time_max is not None and time_min >= time_max:
        raise ApiError(400, "timeRangeEmpty", "The specified time range is empty.")
    if "pageToken" in query:
        page = page_tokens.get(query["pageToken"])
        if page is None or page["kind"] != "events" or page["calendar"] != cal_id:
            raise invalid(f"Invalid value for pageToken: {query['pageToken']!r}")
        listing, cursor = page["listing"], page["cursor"]
        if max_given:
            listing = dict(listing, max=max_results)
    else:
        cursor = None
        listing = {"mode": "full", "since": None, "max": max_results, "singleEvents": single,
                   "showDeleted": show_deleted, "timeMin": time_min, "timeMax": time_max, "updatedMin": updated_min,
                   "order": order or "id", "q": query.get("q"), "iCalUID": query.get("iCalUID"),
                   "private_props": private_props, "shared_props": shared_props, "start_seq": state["seq"]}
        if "syncToken" in query:
            token = sync_tokens.get(query["syncToken"])
            if token is None or not token["valid"] or token["calendar"] != cal_id:
                raise ApiError(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.",
                               domain="calendar")
            listing.update(mode="sync", since=token["seq"], order="id")
    chosen = [record for record in events[cal_id].values() if matches(record, listing, cal_id)]
    keyed = sorted(((sort_key(record, listing["order"], cal_id), record) for record in chosen),
                   key=lambda pair: pair[0])
    if cursor is not None:
        keyed = [pair for pair in keyed if pair[0] > cursor]
    limit = min(listing["max"], state["page_size"])
    page_items, more = keyed[:limit], len(keyed) > limit
    cal = calendars[cal_id]
    stamps = [record["event"]["updated"] for record in events[cal_id].values()]
    body = {"kind": "calendar#events", "etag": f'"p{state["seq"]}"', "summary": cal["summary"],
            "timeZone": cal["timeZone"], "updated": max(stamps) if stamps else rfc3339_ms(STARTED),
            "accessRole": "owner", "defaultReminders": [],
            "items": [reduced(record["event"]) for _, record in page_items]}
    if more:
        token = opaque_token("EjY")
        page_tokens[token] = {"kind": "events", "calendar": cal_id, "listing": listing, "cursor": page_items[-1][0]}
        body["nextPageToken"] = token
    else:
        token = opaque_token("CP")
        sync_tokens[token] = {"calendar": cal_id, "seq": listing["start_seq"], "valid": True}
        body["nextSyncToken"] = token
    return body


def calendar_list(query):
    max_results = int_param(query, "maxResults", 1, 250, 100)
    offset = 0
    if "pageToken" in query:
        page = page_tokens.get(query["pageToken"])
        if page is None or page["kind"] != "calendarList":
            raise invalid(f"Invalid value for pageToken: {query['pageToken']!r}")
        offset = page["cursor"]
    entries = []
    for cal in calendars.values():
        entry = {"kind": "calendar#calendarListEntry", "etag": f'"{int(STARTED * 1_000_000)}"', "id": cal["id"],
                 "summary": cal["summary"], "timeZone": cal["timeZone"], "accessRole": cal.get("accessRole", "owner")}
        if cal["primary"]:
            entry["primary"] = True
        entry["backgroundColor"] = "#9fc6e7"
        entries.append(entry)
    body = {"kind": "calendar#calendarList", "etag": f'"{int(STARTED * 1_000_000)}"',
            "items": entries[offset:offset + max_results]}
    if offset + max_results < len(entries):
        token = opaque_token("Cg")
        page_tokens[token] = {"kind": "calendarList", "calendar": None, "listing": None,
                              "cursor": offset + max_results}
        body["nextPageToken"] = token
    return body


# ---------------------------------------------------------------- watch


def watch_problems(body):
    problems = []
    if not (isinstance(body.get("id"), str) and body["id"]):
        problems.append("id must be a non-empty string")
    elif not CHANNEL_ID.fullmatch(body["id"]):
        problems.append("Channel id must match [A-Za-z0-9\\-_\\+/=]+ and be at most 64 characters")
    if body.get("type") not in ("web_hook", "webhook"):
        problems.append(f"type must be web_hook, not {json.dumps(body.get('type'))}")
    address = body.get("address")
    parts = urlsplit(address) if isinstance(address, str) else None
    try:
        _ = parts.port if parts else None
    except ValueError:
        parts = None
    if not (parts and parts.scheme in ("http", "https") and parts.hostname):
        problems.append(f"address must be an http(s) URL, not {json.dumps(address)}")
    if "token" in body and body["token"] is not None and not (
            isinstance(body["token"], str) and len(body["token"]) <= 256):
        problems.append("token must be a string of at most 256 characters")
    params = body.get("params")
    if params is not None:
        if not isinstance(params, dict):
            problems.append("params must be an object")
        elif "ttl" in params:
            ttl = params["ttl"]
            if not (isinstance(ttl, str) and re.fullmatch(r"[0-9]{1,10}", ttl) and int(ttl) > 0):
                problems.append(f"params.ttl must be a string of positive integer seconds, not {json.dumps(ttl)}")
    return problems


# ---------------------------------------------------------------- HTTP


def jreply(status, body, headers=None):
    return status, "application/json; charset=UTF-8", json.dumps(body).encode(), headers or {}


def treply(status, text):
    return status, "text/plain; charset=utf-8", text.encode(), {}


def api_reply(error):
    return jreply(error.status, error.body())


def oauth_error(status, code, description=None):
    body = {"error": code}
    if description is not None:
        body["error_description"] = description
    return jreply(status, body)


NOT_FOUND = ApiError(404, "notFound", "Not Found")
UNAUTHENTICATED = {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                             "errors": [{"message": "Invalid Credentials", "domain": "global", "reason": "authError",
                                         "location": "Authorization", "locationType": "header"}],
                             "status": "UNAUTHENTICATED"}}


def media_type(header):
    return (header or "").split(";")[0].strip().lower()


def parse_json(raw):
    def refuse(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(raw.decode("utf-8"), parse_constant=refuse)


def failure_reply(status):
    if status in (403, 429):
        return api_reply(ApiError(status, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits"))
    if status >= 500:
        return api_reply(ApiError(status, "backendError", "Backend Error"))
    reasons = {400: "badRequest", 401: "authError", 404: "notFound", 409: "conflict", 410: "deleted",
               412: "conditionNotMet"}
    return api_reply(ApiError(status, reasons.get(status, "failed"), "Scripted failure"))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or "0"))

    def send(self, status, content_type, data, headers):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def dispatch(self):
        self.after = []
        try:
            raw = self.read_body()
        except Exception as exc:
            self.close_connection = True
            reply = treply(400, f"unreadable request body: {type(exc).__name__}: {exc}")
        else:
            try:
                reply = self.route(raw)
            except Exception as exc:
                reply = treply(500, f"stub error: {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
        try:
            self.send(*reply)
        finally:
            for action in self.after:
                action()

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = do_OPTIONS = dispatch

    # -- routing

    def route(self, raw):
        url = urlsplit(self.path)
        path = url.path
        multi = parse_qs(url.query, keep_blank_values=True)
        if path in OAUTH_PATHS or path == API_ROOT or path.startswith(API_ROOT + "/"):
            self.record(path, multi, raw)
        if path == "/requests" and self.command == "GET":
            with lock:
                return jreply(200, list(received))
        if path == "/reset" and self.command == "GET":
            return self.reset()
        if path.startswith("/_control/"):
            return self.control(path, multi, raw)
        if path == "/o/oauth2/v2/auth" and self.command == "GET":
            return self.authorize(multi)
        if path == "/token" and self.command == "POST":
            return self.token(raw)
        if path == "/revoke" and self.command == "POST":
            return self.revoke(multi, raw)
        if path.startswith(API_ROOT + "/"):
            return self.api(path, multi, raw)
        return api_reply(NOT_FOUND)

    def record(self, path, multi, raw):
        content_type = self.headers.get("Content-Type")
        body = None
        if raw:
            if media_type(content_type) == "application/x-www-form-urlencoded":
                fields = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
                body = {name: values[0] for name, values in fields.items()}
            else:
                try:
                    body = parse_json(raw)
                except ValueError:
                    body = raw.decode("utf-8", "replace")
        with lock:
            received.append({"method": self.command, "path": path, "query": multi,
                             "authorization": self.headers.get("Authorization"),
                             "if_match": self.headers.get("If-Match"), "content_type": content_type, "body": body})

    def reset(self):
        with lock:
            received.clear()
            make_calendars()
            for ch in channels:
                ch["stopped"] = True
            channels.clear()
            notifications_sent.clear()
            failures.clear()
            for token in sync_tokens.values():
                token["valid"] = False
            page_tokens.clear()
            state.update(gen=state["gen"] + 1, ttl=DEFAULT_CHANNEL_TTL, page_size=DEFAULT_PAGE_SIZE, mode="send")
        return jreply(200, {"reset": True})

    # -- OAuth

    def authorize(self, multi):
        problems = [f"{name} is given more than once" for name, values in multi.items() if len(values) > 1]
        query = {name: values[0] for name, values in multi.items()}
        if query.get("response_type") != "code":
            problems.append(f"response_type must be code, not {query.get('response_type')!r}")
        if query.get("client_id") != CLIENT_ID:
            problems.append(f"client_id {query.get('client_id')!r} is not this OAuth client")
        redirect = query.get("redirect_uri")
        parts = urlsplit(redirect) if redirect else None
        if not (parts and parts.scheme in ("http", "https") and parts.netloc and not parts.fragment
                and "#" not in redirect):
            problems.append(f"redirect_uri must be an http(s) URL without a fragment, not {redirect!r}")
        scope = query.get("scope")
        if not scope:
            problems.append("scope is missing")
        elif CALENDAR_SCOPE not in scope.split(" "):
            problems.append(f"scope {scope!r} does not hold {CALENDAR_SCOPE} (space separated)")
        if not query.get("state"):
            problems.append("state must be non-empty")
        challenge = query.get("code_challenge")
        if not (challenge and CHALLENGE.fullmatch(challenge)):
            problems.append(f"code_challenge must be 43-128 of [A-Za-z0-9-._~], not {challenge!r}")
        if query.get("code_challenge_method") != "S256":
            problems.append(f"code_challenge_method must be S256, not {query.get('code_challenge_method')!r}")
        if query.get("access_type") != "offline":
            problems.append(f"access_type must be offline, not {query.get('access_type')!r}")
        if "consent" not in (query.get("prompt") or "").split(" "):
            problems.append(f"prompt must be consent, not {query.get('prompt')!r}")
        if problems:
            return treply(400, "\n".join(problems) + "\n")
        code = "4/0A" + secrets.token_urlsafe(40)
        with lock:
            codes[code] = {"challenge": challenge, "redirect_uri": redirect, "client_id": CLIENT_ID, "scope": scope,
                           "user": USER, "expires": time.time() + CODE_TTL, "used": False}
        location = (redirect + ("&" if "?" in redirect else "?") + "code=" + quote(code, safe="")
                    + "&state=" + quote(query["state"], safe="") + "&scope=" + quote(scope, safe=":/"))
        return 302, None, b"", {"Location": location}

    def token(self, raw):
        if media_type(self.headers.get("Content-Type")) != "application/x-www-form-urlencoded":
            return oauth_error(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded, "
                                                       f"not {self.headers.get('Content-Type')!r}")
        try:
            multi = parse_qs(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw))
        except (UnicodeDecodeError, ValueError):
            return oauth_error(400, "invalid_request", "The body is not a valid form.")
        repeated = [name for name, values in multi.items() if len(values) > 1]
        if repeated:
            return oauth_error(400, "invalid_request", f"Parameter given more than once: {', '.join(repeated)}")
        form = {name: values[0] for name, values in multi.items()}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return oauth_error(401, "invalid_client", "The OAuth client was not found.")
        grant_type = form.get("grant_type")
        with lock:
            if grant_type == "authorization_code":
                for name in ("code", "redirect_uri", "code_verifier"):
                    if not form.get(name):
                        if name == "code_verifier" and form.get("code"):
                            return oauth_error(400, "invalid_grant", "Missing code verifier.")
                        return oauth_error(400, "invalid_request", f"Missing required parameter: {name}")
                entry = codes.get(form["code"])
                if entry is None or entry["used"] or entry["expires"] < time.time() or entry["client_id"] != CLIENT_ID:
                    return oauth_error(400, "invalid_grant", "Malformed auth code.")
                if form["redirect_uri"] != entry["redirect_uri"]:
                    return oauth_error(400, "redirect_uri_mismatch", "Bad Request")
                digest = hashlib.sha256(form["code_verifier"].encode()).digest()
                if base64.urlsafe_b64encode(digest).decode().rstrip("=") != entry["challenge"]:
                    return oauth_error(400, "invalid_grant", "Invalid code verifier.")
                entry["used"] = True
                refresh = "1//" + secrets.token_urlsafe(48)
                grants[refresh] = {"scope": entry["scope"], "user": entry["user"], "revoked": False}
                access = self.issue_access(refresh)
                return jreply(200, {"access_token": access, "expires_in": ACCESS_TTL, "refresh_token": refresh,
                                    "scope": entry["scope"], "token_type": "Bearer"})
            if grant_type == "refresh_token":
                grant = grants.get(form.get("refresh_token") or "")
                if grant is None or grant["revoked"]:
                    return oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
                access = self.issue_access(form["refresh_token"])
                return jreply(200, {"access_token": access, "expires_in": ACCESS_TTL, "scope": grant["scope"],
                                    "token_type": "Bearer"})
        return oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {grant_type or ''}")

    @staticmethod
    def issue_access(refresh):
        access = "ya29." + secrets.token_urlsafe(64)
        access_tokens[access] = {"refresh": refresh, "expires": time.time() + ACCESS_TTL, "expired": False}
        return access

    def revoke(self, multi, raw):
        token = (multi.get("token") or [None])[0]
        if raw:
            if media_type(self.headers.get("Content-Type")) != "application/x-www-form-urlencoded":
                return oauth_error(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
            fields = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
            token = (fields.get("token") or [token])[0]
        if not token:
            return oauth_error(400, "invalid_request", "Missing required parameter: token")
        with lock:
            refresh = token if token in grants else access_tokens.get(token, {}).get("refresh")
            if refresh is None or grants[refresh]["revoked"]:
                return oauth_error(400, "invalid_token", "Token expired or revoked")
            grants[refresh]["revoked"] = True
        return jreply(200, {})

    # -- Calendar API

    def authorised(self):
        header = self.headers.get("Authorization") or ""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        with lock:
            entry = access_tokens.get(token.strip())
            return bool(entry and not entry["expired"] and entry["expires"] > time.time()
                        and not grants[entry["refresh"]]["revoked"])

    def api(self, path, multi, raw):
        if not self.authorised():
            return jreply(401, UNAUTHENTICATED,
                          {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'})
        segments = [unquote(s) for s in path[len(API_ROOT) + 1:].split("/")]
        method = self.command
        route = None
        if segments == ["users", "me", "calendarList"] and method == "GET":
            route = "calendarList"
        elif segments == ["channels", "stop"] and method == "POST":
            route = "stop"
        elif len(segments) == 3 and segments[0] == "calendars" and segments[2] == "events" and segments[1]:
            route = {"GET": "list", "POST": "insert"}.get(method)
        elif len(segments) == 4 and segments[0] == "calendars" and segments[2] == "events" and segments[1] \
                and segments[3]:
            if segments[3] == "watch" and method == "POST":
                route = "watch"
            else:
                route = {"GET": "get", "PATCH": "patch", "DELETE": "delete"}.get(method)
        if route is None:
            return api_reply(NOT_FOUND)
        body = None
        if method in ("POST", "PATCH"):
            if media_type(self.headers.get("Content-Type")) != "application/json":
                return api_reply(ApiError(400, "parseError",
                                          f"Parse Error: Content-Type must be application/json, not "
                                          f"{self.headers.get('Content-Type')!r}"))
            try:
                body = parse_json(raw)
            except ValueError:
                return api_reply(ApiError(400, "parseError", "Parse Error"))
            if not isinstance(body, dict):
                return api_reply(ApiError(400, "parseError", "Parse Error: the body must be a JSON object"))
        query = {name: values[-1] for name, values in multi.items()}
        with lock:
            relative = path[len(API_ROOT):]
            for index, failure in enumerate(failures):
                prefix = failure["prefix"]
                if any(p.startswith(prefix) for p in (path, unquote(path), relative, unquote(relative))):
                    del failures[index]
                    return failure_reply(failure["status"])
            try:
                if route == "calendarList":
                    return jreply(200, calendar_list(query))
                if route == "stop":
                    return self.stop(body)
                cal_id = resolve_calendar(segments[1])
                if cal_id is None:
                    raise NOT_FOUND
                if route == "list":
                    return jreply(200, list_events(cal_id, query, multi))
                if route == "insert":
                    return jreply(200, self.insert(cal_id, body))
                if route == "watch":
                    return self.watch(cal_id, body)
                event_id = segments[3]
                if route == "get":
                    event, _ = find_event(cal_id, event_id)
                    if event is None:
                        raise NOT_FOUND
                    return jreply(200, event)
                if route == "patch":
                    return jreply(200, apply_patch(cal_id, event_id, body, self.headers.get("If-Match")))
                apply_delete(cal_id, event_id, self.headers.get("If-Match"))
                return 204, None, b"", {}
            except ApiError as error:
                return api_reply(error)

    @staticmethod
    def insert(cal_id, body):
        event_id = body.get("id")
        if event_id is None:
            event_id = new_event_id()
            while event_id in events[cal_id]:
                event_id = new_event_id()
        elif not (isinstance(event_id, str) and API_ID.fullmatch(event_id)):
            raise invalid("Invalid resource id value.")
        elif event_id in events[cal_id]:
            raise ApiError(409, "duplicate", "The requested identifier already exists.")
        fields = {key: body[key] for key in EDITABLE if key in body}
        return store(cal_id, event_id, normalise(fields, cal_id, False), None)

    def watch(self, cal_id, body):
        problems = watch_problems(body)
        if problems:
            raise invalid("; ".join(problems))
        now_ms = time.time() * 1000
        if any(ch["id"] == body["id"] and ch["expiration"] > now_ms for ch in channels):
            raise ApiError(400, "channelIdNotUnique", "Channel id not unique")
        ttl = int(body["params"]["ttl"]) if isinstance(body.get("params"), dict) and "ttl" in body["params"] \
            else state["ttl"]
        host = self.headers.get("Host") or f"127.0.0.1:{state['port']}"
        uri = f"http://{host}{API_ROOT}/calendars/{quote(cal_id, safe='@')}/events?alt=json"
        channel = {"id": body["id"], "resourceId": resource_id(cal_id), "resourceUri": uri, "calendarId": cal_id,
                   "address": body["address"], "token": body.get("token"),
                   "expiration": int(now_ms + ttl * 1000), "messages": 0, "stopped": False, "gen": state["gen"],
                   "queue": queue.Queue()}
        channels.append(channel)
        ready = threading.Event()
        self.after.append(ready.set)
        notify(cal_id, sync_ready=ready, channel=channel)
        threading.Thread(target=channel_sender, args=(channel,), daemon=True).start()
        answer = {"kind": "api#channel", "id": channel["id"], "resourceId": channel["resourceId"],
                  "resourceUri": uri}
        if channel["token"] is not None:
            answer["token"] = channel["token"]
        answer["expiration"] = str(channel["expiration"])
        return jreply(200, answer)

    @staticmethod
    def stop(body):
        if not isinstance(body.get("id"), str) or not isinstance(body.get("resourceId"), str):
            raise invalid("id and resourceId must be strings")
        for index, ch in enumerate(channels):
            if ch["id"] == body["id"] and ch["resourceId"] == body["resourceId"]:
                ch["stopped"] = True
                del channels[index]
                return 204, None, b"", {}
        raise ApiError(404, "notFound", f"Channel '{body['id']}' not found for project")

    # -- controls

    def control(self, path, multi, raw):
        query = {name: values[-1] for name, values in multi.items()}
        name = path[len("/_control/"):]
        method = self.command
        try:
            with lock:
                if name == "events" and method in ("GET", "POST"):
                    cal_id = resolve_calendar(query.get("calendar") or "")
                    if cal_id is None:
                        return treply(400, f"calendar must name a calendar, not {query.get('calendar')!r}")
                    if method == "GET":
                        return jreply(200, [events[cal_id][k]["event"] for k in sorted(events[cal_id])])
                    return jreply(200, self.control_insert(cal_id, self.control_body(raw)))
                if name.startswith("events/") and method in ("PATCH", "DELETE"):
                    parts = name.split("/")
                    if len(parts) != 3:
                        return treply(400, "the path must be /_control/events/<calendarId>/<eventId>")
                    cal_id = resolve_calendar(unquote(parts[1]))
                    if cal_id is None:
                        return treply(400, f"unknown calendar {unquote(parts[1])!r}")
                    event_id = unquote(parts[2])
                    if find_event(cal_id, event_id)[0] is None:
                        return treply(404, f"no event {event_id!r} in {cal_id}")
                    if method == "PATCH":
                        return jreply(200, apply_patch(cal_id, event_id, self.control_body(raw), None))
                    if find_event(cal_id, event_id)[0]["status"] == "cancelled":
                        return treply(400, f"event {event_id!r} is already cancelled")
                    return jreply(200, apply_delete(cal_id, event_id, None))
                if method != "GET":
                    return treply(404, f"no control {method} {path}")
                return self.simple_control(name, query)
        except ApiError as error:
            return treply(400, f"{error.reason}: {error.message}")
        except _ControlError as error:
            return treply(400, str(error))

    @staticmethod
    def control_body(raw):
        try:
            body = parse_json(raw)
        except ValueError as error:
            raise _ControlError(f"the body is not JSON: {error}")
        if not isinstance(body, dict):
            raise _ControlError("the body must be a JSON object")
        return body

    @staticmethod
    def control_insert(cal_id, body):
        event_id = body.get("id")
        master_id = body.get("recurringEventId")
        extra = {}
        if master_id is not None:
            master_record = events[cal_id].get(master_id) if isinstance(master_id, str) else None
            master = master_record["event"] if master_record else None
            if master is None or master["status"] == "cancelled" or not master.get("recurrence"):
                raise _ControlError(f"recurringEventId {master_id!r} is not a recurring event of {cal_id}")
            original, value = time_point(body.get("originalStartTime"), "originalStartTime",
                                         zone_named(master["start"].get("timeZone") or "") or calendar_zone(cal_id))
            if ("date" in original) != ("date" in master["start"]):
                raise _ControlError("originalStartTime must be of the same kind (date/dateTime) as the master's start")
            if "timeZone" not in original and "dateTime" in original and "timeZone" in master["start"]:
                original["timeZone"] = master["start"]["timeZone"]
            if event_id is None:
                suffix = value.strftime("%Y%m%d") if "date" in original else \
                    value.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
                event_id = f"{master_id}_{suffix}"
            extra = {"recurringEventId": master_id, "originalStartTime": original, "iCalUID": master["iCalUID"],
                     "sequence": master.get("sequence", 0)}
        elif event_id is None:
            event_id = new_event_id()
        if not (isinstance(event_id, str) and (API_ID.fullmatch(event_id) or INSTANCE_ID.fullmatch(event_id))):
            raise _ControlError(f"id {event_id!r} must match ^[a-v0-9]{{5,1024}}$ or be an instance id")
        if event_id in events[cal_id]:
            raise _ControlError(f"id {event_id!r} is already used in {cal_id}")
        fields = {key: body[key] for key in EDITABLE if key in body}
        return store(cal_id, event_id, normalise(fields, cal_id, bool(extra)), None, extra)

    @staticmethod
    def simple_control(name, query):
        if name == "invalidate-sync-tokens":
            for token in sync_tokens.values():
                token["valid"] = False
            return jreply(200, {"invalidated": len(sync_tokens)})
        if name == "revoke":
            for grant in grants.values():
                grant["revoked"] = True
            return jreply(200, {"revoked": len(grants)})
        if name == "expire-access-tokens":
            for entry in access_tokens.values():
                entry["expired"] = True
            return jreply(200, {"expired": len(access_tokens)})
        if name == "notifications":
            if query.get("mode") not in ("drop", "send"):
                return treply(400, f"mode must be drop or send, not {query.get('mode')!r}")
            state["mode"] = query["mode"]
            return jreply(200, {"mode": state["mode"]})
        if name == "notifications-sent":
            return jreply(200, list(notifications_sent))
        if name == "channels":
            return jreply(200, [{"id": ch["id"], "resourceId": ch["resourceId"], "calendarId": ch["calendarId"],
                                 "address": ch["address"], "token": ch["token"], "expiration": ch["expiration"]}
                                for ch in channels])
        if name == "forward":
            origin, target = query.get("from", ""), query.get("to", "")
            if not re.fullmatch(r"https?://[^/?#]+", origin) or not re.fullmatch(r"https?://[^/?#]+", target):
                return treply(400, f"from and to must be origins (scheme://host[:port]), not {origin!r} and {target!r}")
            state["forward"][origin] = target
            return jreply(200, {"forward": state["forward"]})
        if name == "ttl":
            value = query.get("seconds", "")
            if not re.fullmatch(r"[0-9]{1,10}", value) or int(value) < 1:
                return treply(400, f"seconds must be an integer >= 1, not {value!r}")
            state["ttl"] = int(value)
            return jreply(200, {"ttl": state["ttl"]})
        if name == "page-size":
            value = query.get("n", "")
            if not re.fullmatch(r"[0-9]{1,4}", value) or not 1 <= int(value) <= 2500:
                return treply(400, f"n must be an integer 1-2500, not {value!r}")
            state["page_size"] = int(value)
            return jreply(200, {"pageSize": state["page_size"]})
        if name == "fail":
            status, times = query.get("status", ""), query.get("times", "1")
            if not re.fullmatch(r"[0-9]{3}", status) or not 400 <= int(status) <= 599:
                return treply(400, f"status must be an integer 400-599, not {status!r}")
            if not re.fullmatch(r"[0-9]{1,6}", times) or int(times) < 1:
                return treply(400, f"times must be an integer >= 1, not {times!r}")
            failures.extend({"status": int(status), "prefix": query.get("path", "")} for _ in range(int(times)))
            return jreply(200, {"queued": len(failures)})
        return treply(404, f"no control {name!r}")


class _ControlError(Exception):
    pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        pass


server = Server(("127.0.0.1", 0), Handler)
state["port"] = server.server_address[1]
print("PORT", server.server_address[1], flush=True)
server.serve_forever()

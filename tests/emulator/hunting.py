"""Advanced hunting: POST /{v1.0,beta}/security/runHuntingQuery, with a tiny KQL subset over three tables.

As the reference knows Graph: the body is {"Query": KQL, "Timespan": ISO 8601 (optional, default 30 days)}
(either case of the parameter names), ThreatHunting.Read.All is needed, at most 45 calls per minute per
tenant (then 429 naming the quota, Retry-After until the next minute), a result over 100,000 rows is a 400
("exceeded the allowed result size"), a KQL error is a 400 BadRequest carrying the engine's text. v1.0
answers schema keys name/type, beta Name/Type, as the two pages show.

The KQL understood, over DeviceFileEvents, DeviceNetworkEvents and DeviceInfo:
``Table | where Col == "v" [and Col != "w" ...] | project A, B | distinct A, B | take N | limit N | count``
(==, !=, =~ on string or number literals). Anything else is refused as the engine refuses it: a 400
with a "Syntax error" or "Semantic error" message.
"""

import datetime
import random
import re
import threading
import time

from flask import Blueprint, request

from . import data, wire
from .directory import HUNTING_ROLE
from .graph import VERSION, _authorize

bp = Blueprint("hunting", __name__)

CALLS_PER_MINUTE = 45
MAX_ROWS = 100_000
DEFAULT_DAYS = 30
PARAMETERS = ("query", "timespan")

_STARTED = wire.utcnow().replace(microsecond=0)
_calls = {"minute": None, "count": 0}
_calls_lock = threading.Lock()


class KqlError(Exception):
    """The query is not one the engine runs: its message is what Graph answers."""


# -- the tables -------------------------------------------------------------

FILE_COLUMNS = (("Timestamp", "DateTime"), ("DeviceId", "String"), ("DeviceName", "String"),
                ("ActionType", "String"), ("FileName", "String"), ("FolderPath", "String"),
                ("SHA1", "String"), ("SHA256", "String"), ("InitiatingProcessAccountName", "String"),
                ("ReportId", "Int64"))
NETWORK_COLUMNS = (("Timestamp", "DateTime"), ("DeviceId", "String"), ("DeviceName", "String"),
                   ("RemoteIP", "String"), ("RemotePort", "Int32"), ("ActionType", "String"))
# More rows than a result may hold, generated on demand: for the result size limit.
NETWORK_ROWS = MAX_ROWS + 1


def _stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _device_id(name):
    return data.device_ids(name)[0]  # the machine id Defender and the evidence give the device


def _file_events():
    """Who saw each file of the incidents' evidence: its own device, then up to three others."""
    rng, rows = random.Random(20261201), []
    for alerts in data.ALERTS.values():
        for alert in alerts:
            names = dict((item.get("mdeDeviceId"), item.get("deviceDnsName")) for item in alert.get("evidence") or []
                         if item.get("@odata.type", "").endswith("deviceEvidence"))
            for evidence in alert.get("evidence") or []:
                if not evidence.get("@odata.type", "").endswith("fileEvidence"):
                    continue
                details, device_id = evidence.get("fileDetails") or {}, evidence.get("mdeDeviceId")
                seen_on = [(device_id, names.get(device_id) or "wks-%s" % str(device_id)[:6])]
                seen_on += [(_device_id(name), name) for name in rng.sample(data.DEVICES, rng.randint(1, 3))]
                for device_id, device_name in seen_on:
                    moment = _STARTED - datetime.timedelta(minutes=rng.randrange(5, 60 * 24 * 20))
                    rows.append({
                        "Timestamp": _stamp(moment), "DeviceId": device_id, "DeviceName": device_name,
                        "ActionType": rng.choice(["FileCreated", "FileModified", "FileRenamed"]),
                        "FileName": details.get("fileName"), "FolderPath": details.get("filePath"),
                        "SHA1": details.get("sha1"), "SHA256": details.get("sha256"),
                        "InitiatingProcessAccountName": rng.choice(data.USERS).lower(),
                        "ReportId": rng.randrange(1000, 999999)})
    return rows


_FILE_ROWS = _file_events()


def _network_events():
    for n in range(NETWORK_ROWS):
        name = data.DEVICES[n % len(data.DEVICES)]
        yield {"Timestamp": _stamp(_STARTED - datetime.timedelta(seconds=n)), "DeviceId": _device_id(name),
               "DeviceName": name, "RemoteIP": "10.%d.%d.%d" % (n >> 16 & 255, n >> 8 & 255, n & 255),
               "RemotePort": 443, "ActionType": "ConnectionSuccess"}


INFO_COLUMNS = (("Timestamp", "DateTime"), ("DeviceId", "String"), ("DeviceName", "String"), ("OSPlatform", "String"))


def _device_info():
    for n, name in enumerate(data.DEVICES):
        yield {"Timestamp": _stamp(_STARTED - datetime.timedelta(hours=n)), "DeviceId": _device_id(name),
               "DeviceName": name, "OSPlatform": "WindowsServer2022" if name.startswith("srv-") else "Windows11"}


TABLES = {
    "DeviceInfo": (INFO_COLUMNS, _device_info),
    "DeviceFileEvents": (FILE_COLUMNS, lambda: iter(_FILE_ROWS)),
    "DeviceNetworkEvents": (NETWORK_COLUMNS, _network_events),
}


# -- the timespan -----------------------------------------------------------

_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def _duration(text):
    match = _DURATION.match(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        return None
    weeks, days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return datetime.timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)


def _moment(text):
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def timespan_window(text):
    """(start, end) of an ISO 8601 interval in the forms the page lists, or KqlError."""
    now = wire.utcnow()
    if text is None:
        return now - datetime.timedelta(days=DEFAULT_DAYS), now
    first, slash, second = text.partition("/")
    if not slash:
        span, moment = _duration(first), _moment(first)
        if span is not None:
            return now - span, now
        if moment is not None:
            return moment, now
    else:
        start, end = _moment(first), _moment(second)
        if start is None and end is not None and _duration(first) is not None:
            start = end - _duration(first)
        elif end is None and start is not None and _duration(second) is not None:
            end = start + _duration(second)
        if start is not None and end is not None and start <= end:
            return start, end
    raise KqlError(f"The Timespan '{text}' is not a valid ISO 8601 interval: use start/end, duration/end,"
                   " start/duration, a duration such as P7D, or a start date-time.")


# -- the KQL subset ---------------------------------------------------------

_LITERAL = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|-?\d+(?:\.\d+)?'
_CLAUSE = re.compile(r"^\s*([A-Za-z_]\w*)\s*(==|!=|=~)\s*(" + _LITERAL + r")\s*$")


def _pipes(query):
    """The query split at each | outside a string literal."""
    parts, current, quote = [], [], None
    for char in query:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "|":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    if quote:
        raise KqlError("Syntax error: Query could not be parsed: unterminated string literal.")
    return parts + ["".join(current)]


def _columns(text, known, operator):
    names = [name.strip() for name in text.split(",")]
    for name in names:
        if not re.match(r"^[A-Za-z_]\w*$", name):
            raise KqlError(f"Syntax error: Query could not be parsed at '{name}' ({operator} takes column names).")
        if name not in known:
            raise KqlError(f"Semantic error: Failed to resolve scalar expression named '{name}'.")
    return names


def _literal(text):
    if text[0] in "\"'":
        return re.sub(r"\\(.)", r"\1", text[1:-1])
    return float(text) if "." in text else int(text)


def _predicate(text, known):
    tests = []
    for clause in re.split(r"\s+and\s+", text.strip()):
        match = _CLAUSE.match(clause)
        if not match:
            raise KqlError(f"Syntax error: Query could not be parsed at '{clause.strip()}': the emulator's KQL knows"
                           " Column == \"value\", != and =~, joined by and.")
        column, operator, value = match.group(1), match.group(2), _literal(match.group(3))
        _columns(column, known, "where")
        tests.append((column, operator, value))

    def matches(row):
        for column, operator, value in tests:
            cell = row.get(column)
            if operator == "=~":
                same = str(cell).lower() == str(value).lower()
            else:
                same = cell == value
            if same != (operator != "!="):
                return False
        return True
    return matches


def run_query(query, window):
    """(schema [(name, type)], rows) of a query over the rows whose Timestamp lies in ``window``."""
    stages = _pipes(query)
    table = stages[0].strip()
    if table not in TABLES:
        if not re.match(r"^[A-Za-z_]\w*$", table):
            raise KqlError(f"Syntax error: Query could not be parsed at '{table[:40]}'.")
        raise KqlError(f"Semantic error: Failed to resolve table or column expression named '{table}'.")
    schema, source = TABLES[table]
    start, end = (_stamp(moment.astimezone(datetime.timezone.utc)) for moment in window)
    rows = (row for row in source() if start <= row["Timestamp"] <= end)
    for stage in stages[1:]:
        operator, dummy, rest = stage.strip().partition(" ")
        known = [name for name, dummy in schema]
        if operator == "where":
            rows = filter(_predicate(rest, known), rows)
        elif operator == "project":
            names = _columns(rest, known, "project")
            schema = [(name, dict(schema)[name]) for name in names]
            rows = ({name: row[name] for name in names} for row in rows)
        elif operator == "distinct":
            names = _columns(rest, known, "distinct")
            schema = [(name, dict(schema)[name]) for name in names]
            rows = _distinct(rows, names)
        elif operator in ("take", "limit"):
            if not rest.strip().isdigit():
                raise KqlError(f"Syntax error: Query could not be parsed at '{stage.strip()}' ({operator} takes a number).")
            rows = _take(rows, int(rest))
        elif operator == "count" and not rest.strip():
            schema, rows = [("Count", "Int64")], iter([{"Count": sum(1 for dummy in rows)}])
        else:
            raise KqlError(f"Syntax error: Query could not be parsed at '{stage.strip()[:40]}'.")
    result = []
    for row in rows:
        result.append(row)
        if len(result) > MAX_ROWS:
            raise KqlError("Query execution has exceeded the allowed result size. Reduce the number of rows"
                           f" (at most {MAX_ROWS:,}) with take or limit, or narrow the query.")
    return schema, result


def _distinct(rows, names):
    seen = set()
    for row in rows:
        key = tuple(row[name] for name in names)
        if key not in seen:
            seen.add(key)
            yield dict(zip(names, key))


def _take(rows, count):
    for n, row in enumerate(rows):
        if n >= count:
            return
        yield row


# -- the route --------------------------------------------------------------

def _over_quota():
    """A 429 when this call is beyond the tenant's calls of the current minute, else None."""
    now = time.time()
    minute = int(now // 60)
    with _calls_lock:
        if _calls["minute"] != minute:
            _calls.update(minute=minute, count=0)
        _calls["count"] += 1
        over = _calls["count"] > CALLS_PER_MINUTE
    if not over:
        return None
    wait = max(1, int((minute + 1) * 60 - now + 0.999))
    return wire.graph_error(429, "TooManyRequests", f"API calls quota exceeded! maximum allowed {CALLS_PER_MINUTE}"
                            " per 00:01:00", headers={"Retry-After": str(wait)})


def _parameters(body):
    """{"query", "timespan"} from the body, parameter names in either case, or KqlError."""
    if not isinstance(body, dict):
        raise KqlError("The request body must be a JSON object with the parameter 'Query'.")
    found = {}
    for key, value in body.items():
        name = key.lower()
        if name not in PARAMETERS or key not in (name, name.capitalize()):
            raise KqlError(f"The parameter '{key}' in the request payload is not a valid parameter for the"
                           " operation 'runHuntingQuery'.")
        if value is not None and not isinstance(value, str):
            raise KqlError(f"The parameter '{key}' must be a string.")
        found[name] = value
    if not (found.get("query") or "").strip():
        raise KqlError("The parameter 'Query' is required and must be a non-empty string.")
    return found


@bp.post(f"/{VERSION}/security/runHuntingQuery")
def run_hunting_query(version):
    denied = _authorize((HUNTING_ROLE,))
    if denied:
        return denied
    throttled = _over_quota()
    if throttled:
        return throttled
    if "json" not in (request.content_type or ""):
        return wire.graph_error(415, "UnsupportedMediaType", "The request must have Content-Type application/json.")
    try:
        parameters = _parameters(request.get_json(silent=True))
        schema, rows = run_query(parameters["query"], timespan_window(parameters.get("timespan")))
    except KqlError as exc:
        return wire.graph_error(400, "BadRequest", str(exc))
    keys = ("name", "type") if version == "v1.0" else ("Name", "Type")
    return wire.json_response({
        "@odata.context": f"{request.host_url}{version}/$metadata#microsoft.graph.security.huntingQueryResults",
        "schema": [{keys[0]: name, keys[1]: kind} for name, kind in schema],
        "results": rows,
    })

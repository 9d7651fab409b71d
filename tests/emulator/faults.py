"""Fault injection rules and the request log, both driven by the control API.

A rule answers matching requests with an error (or a broken body) before the
normal handler runs, ``count`` times, then it is spent. Rules and the log are
shared by all server threads, hence the locks.
"""

import re
import threading
import time
import urllib.parse

from .misbehave import MODES

BODY_KINDS = ("graph", "aad", "html", "truncated", "empty", "not_graph_json")


class FaultConfigError(ValueError):
    pass


class Rule:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise FaultConfigError("each rule must be a JSON object")
        unknown = set(spec) - {"path_regex", "query_regex", "method", "in_batch", "count", "status",
                               "retry_after", "body", "delay_ms", "code", "message", "misbehave",
                               "after", "location"}
        if unknown:
            raise FaultConfigError(f"unknown rule keys: {sorted(unknown)}")
        try:
            self.path = re.compile(spec.get("path_regex") or "")
            # matched against the percent-decoded query string
            self.query = re.compile(spec.get("query_regex") or "")
        except re.error as exc:
            raise FaultConfigError(f"bad path_regex or query_regex: {exc}") from None
        self.method = (spec.get("method") or "").upper() or None
        self.in_batch = spec.get("in_batch")
        if self.in_batch not in (True, False, None):
            raise FaultConfigError("in_batch must be true, false or null")
        self.remaining = spec.get("count")  # None: fires forever
        # No status: a "slow" rule that only delays, then the request is served normally.
        self.status = int(spec["status"]) if spec.get("status") is not None else None
        self.retry_after = spec.get("retry_after")
        self.body = spec.get("body", "graph")
        if self.body not in BODY_KINDS:
            raise FaultConfigError(f"body must be one of {BODY_KINDS}")
        self.delay_ms = int(spec.get("delay_ms") or 0)
        self.code = spec.get("code")
        self.message = spec.get("message")
        # A way to answer wrongly with HTTP 200 (see misbehave.py); only without a status.
        # One mode or a list of them (["no_count", "next_link_self"]).
        modes = spec.get("misbehave")
        self.misbehave = tuple([modes] if isinstance(modes, str) else modes or ())
        if self.misbehave and (not set(self.misbehave) <= set(MODES) or self.status is not None):
            raise FaultConfigError(f"misbehave must be one of {MODES} or a list of them, in a rule without status")
        # "drop": serve the request (a write is stored), then close the connection unanswered.
        self.after = spec.get("after")
        if self.after not in (None, "drop"):
            raise FaultConfigError('after must be "drop" or null')
        if self.after and self.status is not None:
            raise FaultConfigError('a rule with after="drop" serves the request normally: give it no status')
        # A Location header for the answer (a 3xx that points elsewhere): a path on the emulator or a URL.
        self.location = spec.get("location")
        self.fired = 0
        self.spec = spec

    def matches(self, method, path, query, in_batch):
        if self.remaining is not None and self.remaining <= 0:
            return False
        if self.method and self.method != method.upper():
            return False
        if self.in_batch is not None and self.in_batch != in_batch:
            return False
        return bool(self.path.search(path)) and bool(self.query.search(urllib.parse.unquote(query)))


class Faults:
    def __init__(self, default_latency_ms=0):
        self._lock = threading.Lock()
        self.default_latency_ms = default_latency_ms
        self.reset()

    def reset(self):
        with self._lock:
            self.latency_ms = self.default_latency_ms
            self.rules = []

    def configure(self, config):
        if not isinstance(config, dict):
            raise FaultConfigError("fault config must be a JSON object")
        rules = [Rule(spec) for spec in config.get("rules") or []]
        latency = int(config.get("latency_ms") or 0)
        with self._lock:
            self.latency_ms = latency
            self.rules = rules

    def take(self, method, path, query, in_batch):
        """Return the first live rule matching this request, consuming one use."""
        with self._lock:
            for rule in self.rules:
                if rule.matches(method, path, query, in_batch):
                    if rule.remaining is not None:
                        rule.remaining -= 1
                    rule.fired += 1
                    return rule
        return None

    def describe(self):
        with self._lock:
            return {
                "latency_ms": self.latency_ms,
                "rules": [dict(r.spec, remaining=r.remaining, fired=r.fired) for r in self.rules],
            }


class RequestLog:
    """Outer and inner requests, in arrival order.

    Clearing starts a new epoch. A request belongs to the epoch it arrived in (an inner
    $batch request to its outer request's) and is dropped if it finishes after a clear:
    a slow request left behind by one test never shows up in the next test's log.
    """

    def __init__(self):
        self._lock = threading.Condition()
        self._seq = 0
        self._epoch = 0
        self._in_flight = 0
        self._entries = []

    def arrive(self):
        """(seq, epoch) for a request that just arrived; it counts as in flight until added."""
        # Sequence numbers are taken on arrival so the log shows arrival order
        # even though entries are stored when the response is ready.
        with self._lock:
            self._seq += 1
            self._in_flight += 1
            return self._seq, self._epoch

    def add(self, entry, epoch):
        entry.setdefault("time", time.time())
        with self._lock:
            self._in_flight -= 1
            if epoch == self._epoch:
                self._entries.append(entry)
            self._lock.notify_all()

    def entries(self, settle_seconds=0.0):
        """The log; with settle_seconds, first wait (that long at most) until no request is in flight."""
        with self._lock:
            self._lock.wait_for(lambda: self._in_flight <= 0, timeout=settle_seconds)
            return sorted(self._entries, key=lambda e: e["seq"])

    def clear(self):
        with self._lock:
            self._epoch += 1
            self._entries.clear()


def fault_response(rule):
    """The response a fired rule answers with (called inside a request)."""
    from flask import Response, g, request

    from . import wire

    headers = {}
    if rule.retry_after is not None:
        headers["Retry-After"] = str(rule.retry_after)
    if rule.location is not None:
        headers["Location"] = rule.location if "://" in rule.location else request.host_url.rstrip("/") + rule.location
    code, message = wire.GRAPH_CODES.get(rule.status, ("UnknownError", "Injected fault."))
    code, message = rule.code or code, rule.message or message
    if rule.body == "graph":
        return wire.graph_error(rule.status, code, message, headers=headers)
    if rule.body == "aad":
        error = "temporarily_unavailable" if rule.status >= 500 or rule.status == 429 else "invalid_request"
        resp = wire.aad_error(rule.status, error, 90033, rule.message or
                              "A transient error has occurred. Please try again.")
    elif rule.body == "html":
        # What a proxy or load balancer in front of the service sends.
        page = (f"<!DOCTYPE html><html><head><title>{rule.status} Service Error</title></head>"
                f"<body><h1>Service Error</h1><p>Reference #{g.request_id}</p></body></html>")
        resp = Response(page, status=rule.status, content_type="text/html; charset=utf-8")
    elif rule.body == "truncated":
        whole = wire.json_response(wire.graph_error_body(code, message)).get_data(as_text=True)
        if rule.status < 400:
            whole = '{"@odata.context":"https://emulator/$metadata#security/incidents","value":[{"id":"1"}]}'
        resp = Response(whole[: len(whole) // 2], status=rule.status, content_type=wire.GRAPH_JSON)
    elif rule.body == "empty":
        resp = Response(b"", status=rule.status, content_type=wire.GRAPH_JSON)
    else:  # not_graph_json: valid JSON that is not a Graph error
        resp = wire.json_response({"message": "oops"}, rule.status, content_type="application/json")
    for key, value in headers.items():
        resp.headers[key] = value
    return resp

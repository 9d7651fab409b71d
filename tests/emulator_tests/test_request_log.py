"""The request log (faults.RequestLog): each test sees only the requests made since it cleared it."""
import threading
import time

import pytest
import requests


def test_a_request_still_running_at_a_clear_is_never_logged(emulator, call):
    """A slow answer a client gave up on finishes after the next test cleared the log: not logged."""
    emulator.set_faults({"rules": [{"path_regex": "/security/incidents/29$", "delay_ms": 1500}]})
    with pytest.raises(requests.exceptions.Timeout):
        call("GET", "/v1.0/security/incidents/29", timeout=0.3)
    emulator.clear_requests()  # what the next test does first
    call("GET", "/v1.0/security/incidents/2972395")
    # settle: wait until the emulator has finished serving the slow request too
    assert [r["path"] for r in emulator.requests(settle=10)] == ["/v1.0/security/incidents/2972395"]


def test_inner_requests_of_a_batch_running_at_a_clear_are_not_logged(emulator, call):
    emulator.set_faults({"rules": [{"path_regex": "/security/incidents/29$", "in_batch": True, "delay_ms": 1500}]})
    items = [{"id": "1", "method": "GET", "url": "/security/incidents/29"},
             {"id": "2", "method": "GET", "url": "/security/incidents/2972395"}]
    worker = threading.Thread(target=call, args=("POST", "/v1.0/$batch"), kwargs={"json": {"requests": items}})
    worker.start()
    _wait_until_arrived(emulator)
    emulator.clear_requests()
    worker.join()
    assert emulator.requests(settle=10) == []


def _wait_until_arrived(emulator):
    deadline = time.monotonic() + 10
    while not emulator.faults()["rules"][0]["fired"] and time.monotonic() < deadline:
        time.sleep(0.05)


def test_entries_say_when_the_request_arrived_before_any_delay(emulator, call):
    emulator.set_faults({"rules": [{"path_regex": "/security/incidents/29$", "delay_ms": 500}]})
    call("GET", "/v1.0/security/incidents/29")
    entry, = emulator.requests()
    assert entry["time"] - entry["arrived"] >= 0.5

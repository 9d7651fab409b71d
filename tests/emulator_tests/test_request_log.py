"""The request log (faults.RequestLog): each test sees only the requests made since it cleared it."""
import threading
import time


def _left_running(emulator, call, method, path, **kwargs):
    """Send a request the emulator delays; return once the emulator has it, and the thread sending it."""
    worker = threading.Thread(target=call, args=(method, path), kwargs=kwargs)
    worker.start()
    deadline = time.monotonic() + 10
    while not emulator.faults()["rules"][0]["fired"] and time.monotonic() < deadline:
        time.sleep(0.05)
    return worker


def test_a_request_still_running_at_a_clear_is_never_logged(emulator, call):
    """A slow answer one test left behind finishes after the next test cleared the log: not logged."""
    emulator.set_faults({"rules": [{"path_regex": "/security/incidents/29$", "delay_ms": 1500}]})
    worker = _left_running(emulator, call, "GET", "/v1.0/security/incidents/29")
    emulator.clear_requests()  # what the next test does first
    call("GET", "/v1.0/security/incidents/2972395")
    worker.join()
    assert [r["path"] for r in emulator.requests(settle=10)] == ["/v1.0/security/incidents/2972395"]


def test_inner_requests_of_a_batch_running_at_a_clear_are_not_logged(emulator, call):
    """Inner requests belong to their outer request's epoch, even those that start after the clear."""
    emulator.set_faults({"rules": [{"path_regex": "/security/incidents/29$", "in_batch": True, "delay_ms": 1500}]})
    items = [{"id": "1", "method": "GET", "url": "/security/incidents/29"},
             {"id": "2", "method": "GET", "url": "/security/incidents/2972395"}]
    worker = _left_running(emulator, call, "POST", "/v1.0/$batch", json={"requests": items})
    emulator.clear_requests()
    worker.join()
    assert emulator.requests(settle=10) == []


def test_settle_waits_for_requests_being_served(emulator, call):
    emulator.set_faults({"rules": [{"path_regex": "/security/incidents/29$", "delay_ms": 1000}]})
    worker = _left_running(emulator, call, "GET", "/v1.0/security/incidents/29")
    assert [r["path"] for r in emulator.requests(settle=10)] == ["/v1.0/security/incidents/29"]
    worker.join()


def test_entries_say_when_the_request_arrived_before_any_delay(emulator, call):
    emulator.set_faults({"rules": [{"path_regex": "/security/incidents/29$", "delay_ms": 500}]})
    call("GET", "/v1.0/security/incidents/29")
    entry, = emulator.requests()
    assert entry["time"] - entry["arrived"] >= 0.5

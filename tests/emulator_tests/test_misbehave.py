"""The misbehaving answers (misbehave.py): each bends the answer in the one way it names."""
import pytest

LIST = "/v1.0/security/incidents"


def misbehave(emulator, mode, path_regex="/security/incidents$", **rule):
    emulator.set_faults({"rules": [dict(path_regex=path_regex, misbehave=mode, **rule)]})


def test_no_count_withholds_the_count_but_still_pages(emulator, call):
    misbehave(emulator, "no_count")
    body = call("GET", LIST + "?$count=true&$top=50").json()
    assert "@odata.count" not in body and len(body["value"]) == 50
    nxt = call("GET", body["@odata.nextLink"]).json()
    assert "@odata.count" not in nxt and nxt["value"][0]["id"] != body["value"][-1]["id"]


def test_count_low_says_half(emulator, call):
    total = len(emulator.incident_ids())
    misbehave(emulator, "count_low")
    assert call("GET", LIST + "?$count=true").json()["@odata.count"] == total // 2


@pytest.mark.parametrize("mode, skip", [("next_link_self", 100), ("next_link_first", 0)])
def test_next_links_that_go_back(emulator, call, mode, skip):
    misbehave(emulator, mode)
    body = call("GET", LIST + "?$top=50&$skip=100").json()
    again = call("GET", body["@odata.nextLink"]).json()  # the rule fires on this one too
    expected = call("GET", LIST + "?$top=50&$skip=%d" % skip).json()
    assert [i["id"] for i in again["value"]] == [i["id"] for i in expected["value"]]


def test_repeat_items_starts_each_page_with_the_last_one_before(emulator, call):
    first = call("GET", LIST + "?$top=50").json()
    misbehave(emulator, "repeat_items", count=1)
    second = call("GET", first["@odata.nextLink"]).json()
    assert second["value"][0]["id"] == first["value"][-1]["id"]


def test_batch_duplicate_id_answers_the_first_request_twice(emulator, call):
    ids = emulator.incident_ids()[:3]
    misbehave(emulator, "batch_duplicate_id", path_regex=r"/\$batch$")
    items = [{"id": str(n), "method": "GET", "url": "/security/incidents/" + i} for n, i in enumerate(ids)]
    answers = call("POST", "/v1.0/$batch", json={"requests": items}).json()["responses"]
    first = [a["body"]["id"] for a in answers if a["id"] == "0"]
    assert len(answers) == 4 and sorted(first) == sorted(ids[:2])


def test_batch_wrong_body_answers_the_first_request_with_another_incident(emulator, call):
    ids = emulator.incident_ids()[:3]
    misbehave(emulator, "batch_wrong_body", path_regex=r"/\$batch$")
    items = [{"id": str(n), "method": "GET", "url": "/security/incidents/" + i} for n, i in enumerate(ids)]
    answers = {a["id"]: a for a in call("POST", "/v1.0/$batch", json={"requests": items}).json()["responses"]}
    assert len(answers) == 3 and answers["0"]["body"]["id"] == ids[1] and answers["2"]["body"]["id"] == ids[2]


def test_misbehaving_requests_are_marked_in_the_log(emulator, call):
    misbehave(emulator, "no_count", count=1)
    call("GET", LIST)
    call("GET", LIST)
    assert [r["misbehave"] for r in emulator.requests()] == [["no_count"], []]


def test_modes_combine(emulator, call):
    misbehave(emulator, ["no_count", "next_link_self"])
    url = emulator.url + LIST + "?$count=true&$top=50&$skip=50"
    body = call("GET", url).json()
    assert "@odata.count" not in body and body["@odata.nextLink"] == url


@pytest.mark.parametrize("rule", [{"misbehave": "lie"}, {"misbehave": "no_count", "status": 500}])
def test_bad_misbehave_rules_are_refused(emulator, rule):
    response = emulator.session().put(emulator.url + "/_emulator/faults", json={"rules": [rule]}, timeout=10)
    assert response.status_code == 400 and "misbehave" in response.json()["error"]

"""A resource is data: a description in resources.py is served by graph.py's routes with no code of its own.

In-process (Flask's test client): a made-up 'widgets' resource beside the incidents.
"""
import copy

import pytest

from tests.emulator import directory, model
from tests.emulator.app import create_app
from tests.emulator.odata import Field
from tests.emulator.resources import INCIDENTS, Resource

WIDGETS = {str(n): {"id": str(n), "colour": colour} for n, colour in ((3, "red"), (2, "blue"), (1, "red"))}


def _present(record, version, select, expanded):
    out = {"@odata.type": "#microsoft.graph.widget"}
    out.update((name, copy.deepcopy(record.get(name))) for name in (select or ("id", "colour")))
    out.update(expanded)
    return out


WIDGET = Resource(
    title="Widget",
    path="widgets",
    odata_type="microsoft.graph.widget",
    store=WIDGETS,
    snapshot=lambda: list(WIDGETS.values()),
    properties=lambda version: ("id", "colour"),
    visible=lambda record, include: dict(record),
    present=_present,
    filter_fields=lambda include: {"colour": Field("string")},
    read_roles=("Widget.Read.All",),
    page_size=2,
    navigation={"parts": lambda widget_id: [{"part": widget_id + "a"}]},
)


@pytest.fixture(scope="module")
def client():  # one app: an RSA key per app is slow to make; no test changes its data
    app = create_app(resources=(INCIDENTS, WIDGET))
    tokens = app.extensions["emulator"].tokens
    reader, dummy = tokens.issue("reader", directory.APPS["reader-secret"]["client_id"], ["Widget.Read.All"])
    other, dummy = tokens.issue("other", directory.APPS["reader-secret"]["client_id"], [directory.READ_ROLE])
    test_client = app.test_client()

    def call(method, path, token=reader, **kwargs):
        return test_client.open(path, method=method, headers={"Authorization": "Bearer " + token},
                                base_url="https://graph.test/", **kwargs)
    call.other = other
    return call


def test_one_item_with_its_type_and_expanded_navigation(client):
    answer = client("GET", "/v1.0/widgets/2?$expand=parts")
    assert answer.status_code == 200
    assert answer.json == {"@odata.context": "https://graph.test/v1.0/$metadata#widgets(parts())/$entity",
                           "@odata.type": "#microsoft.graph.widget", "id": "2", "colour": "blue",
                           "parts": [{"part": "2a"}]}


def test_a_missing_item_is_named_by_the_resource_title(client):
    answer = client("GET", "/v1.0/widgets/9")
    assert (answer.status_code, answer.json["error"]["message"]) == (404, "Widget with id '9' was not found.")


def test_lists_page_at_the_resource_page_size_and_filter(client):
    first = client("GET", "/v1.0/widgets?$count=true")
    assert [w["id"] for w in first.json["value"]] == ["3", "2"]
    assert first.json["@odata.count"] == 3
    assert first.json["@odata.nextLink"] == "https://graph.test/v1.0/widgets?$count=true&$skip=2"
    assert [w["id"] for w in client("GET", "/v1.0/widgets?$skip=2").json["value"]] == ["1"]
    red = client("GET", "/v1.0/widgets?$filter=colour eq 'red'")
    assert [w["id"] for w in red.json["value"]] == ["3", "1"]


def test_unknown_properties_are_named_with_the_resource_type(client):
    answer = client("GET", "/v1.0/widgets?$select=size")
    assert answer.status_code == 400
    assert answer.json["error"]["message"] == "Could not find a property named 'size' on type 'microsoft.graph.widget'."


def test_read_roles_are_the_resource_s_own(client):
    answer = client("GET", "/v1.0/widgets/2", token=client.other)
    assert (answer.status_code, answer.json["error"]["message"]) == (
        403, "Missing application roles. API required roles: Widget.Read.All")
    assert client("GET", "/v1.0/security/incidents?$top=1", token=client.other).status_code == 200


def test_a_resource_without_write_rules_takes_no_patch_and_no_comment(client):
    assert client("PATCH", "/v1.0/widgets/2", json={"colour": "green"}).status_code == 405
    assert client("POST", "/v1.0/widgets/2/comments", json={"comment": "x"}).status_code in (404, 405)
    assert WIDGETS["2"]["colour"] == "blue"


def test_unknown_segments_are_named_across_resources(client):
    assert client("GET", "/v1.0/widgets/2/size").json["error"]["message"] == "Resource not found for the segment 'size'."
    assert client("GET", "/v1.0/security/alerts").json["error"]["message"] == "Resource not found for the segment 'alerts'."


def test_batch_reaches_every_resource(client):
    answer = client("POST", "/v1.0/$batch", json={"requests": [
        {"id": "1", "method": "GET", "url": "/widgets/1"},
        {"id": "2", "method": "GET", "url": "/widgets/8"},
    ]})
    statuses = dict((r["id"], r["status"]) for r in answer.json["responses"])
    assert statuses == {"1": 200, "2": 404}


def test_incidents_stay_described_as_before():
    assert (INCIDENTS.path, INCIDENTS.page_size, INCIDENTS.read_roles, INCIDENTS.write_roles) == (
        "security/incidents", 50, (directory.READ_ROLE, directory.WRITE_ROLE), (directory.WRITE_ROLE,))
    assert INCIDENTS.properties("beta") == model.properties("beta")

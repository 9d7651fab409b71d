"""hunting_query through AnsibleModule: a read in every mode, its result's shape, options checked first, no_log."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core import graph_module
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import GraphApiError
from ansible_collections.msgraph.security.plugins.modules import hunting_query

from .module_runner import module_runner

ACCESS = dict(access_token='tok', graph_url='https://graph.example.test')
ROWS = [{'DeviceName': 'srv-file02', 'DeviceId': 'fa1b'}]


class Client:
    def __init__(self, answer):
        self.answer, self.sent = answer, []

    def request(self, method, path, body=None, resend=None, permission=None):
        self.sent.append((method, path, body, resend))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def client(monkeypatch):
    fake = Client({'schema': [{'name': 'DeviceName', 'type': 'String'}, {'name': 'DeviceId', 'type': 'String'}],
                   'results': ROWS})
    monkeypatch.setattr(graph_module.GraphClient, 'from_options', classmethod(lambda cls, options: fake))
    return fake


@pytest.fixture
def run(monkeypatch):
    return module_runner(monkeypatch, hunting_query.main, defaults=ACCESS)


@pytest.mark.parametrize('check_mode', [False, True])
def test_a_read_in_check_mode_too(run, client, check_mode):
    exited = run(query='DeviceFileEvents | take 1', timespan='P7D', _ansible_check_mode=check_mode)
    assert not exited.failed
    assert exited.result == dict(changed=False, results=ROWS, row_count=1,
                                 schema=[dict(name='DeviceName', type='String'), dict(name='DeviceId', type='String')])
    assert client.sent == [('POST', '/security/runHuntingQuery', {'Query': 'DeviceFileEvents | take 1', 'Timespan': 'P7D'},
                            True)]


def test_query_is_required(run, client):
    exited = run()
    assert exited.failed and 'query' in exited.result['msg'] and client.sent == []


def test_a_bad_timespan_fails_before_sending(run, client):
    exited = run(query='DeviceInfo', timespan='yesterday')
    assert exited.failed and exited.result['msg'].startswith("Invalid timespan 'yesterday'") and client.sent == []


@pytest.mark.parametrize('no_log, shown', [(False, True), (True, False)])
def test_graphs_message_is_withheld_when_the_task_is_no_log(run, client, no_log, shown):
    client.answer = GraphApiError("HTTP 400 BadRequest: parsed at 'hunter2'", status=400, code='BadRequest',
                                  request_id='r-9')
    exited = run(query='DeviceInfo | where X == "hunter2"', _ansible_no_log=no_log)
    assert exited.failed and ('hunter2' in exited.result['msg']) is shown
    assert exited.result['request_id'] == 'r-9'

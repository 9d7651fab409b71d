"""The hunting logic on its own: timespan forms, the answer's shape (v1.0 and beta keys), the hints, no_log."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import (
    ForbiddenError,
    GraphApiError,
    IncompleteAnswerError,
    OptionError,
    RetryBudgetError,
)
from ansible_collections.msgraph.security.plugins.module_utils._resources import hunting

ANSWER = {'schema': [{'name': 'DeviceName', 'type': 'String'}, {'name': 'Timestamp', 'type': 'DateTime'}],
          'results': [{'DeviceName': 'srv-file02', 'Timestamp': '2026-05-04T09:12:41.512Z'}]}


class Client:
    """Records the requests; answers ``answer`` or raises it."""

    def __init__(self, answer):
        self.answer, self.sent = answer, []

    def request(self, method, path, body=None, resend=None, permission=None):
        self.sent.append(dict(method=method, path=path, body=body, resend=resend, permission=permission))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.mark.parametrize('timespan', ['P7D', 'PT12H', 'P1DT2H30M', '2026-05-01T00:00:00Z/2026-05-04T00:00:00Z',
                                      'P7D/2026-05-04T00:00:00Z', '2026-05-01T00:00:00Z/P7D', '2026-05-01T08:00:00+02:00',
                                      '2026-05-01'])
def test_the_timespan_forms_graph_takes_are_sent(timespan):
    client = Client(ANSWER)
    hunting.run_hunting_query(client, 'DeviceInfo | take 1', timespan)
    assert client.sent == [dict(method='POST', path='/security/runHuntingQuery', resend=True,
                                permission='ThreatHunting.Read.All',
                                body={'Query': 'DeviceInfo | take 1', 'Timespan': timespan})]


@pytest.mark.parametrize('timespan', ['last week', 'P', 'PT', '7D', '2026-05-01T00:00:00Z/', 'P7D/P1D', 7])
def test_other_timespans_are_refused_before_anything_is_sent(timespan):
    client = Client(ANSWER)
    with pytest.raises(OptionError, match='Invalid timespan'):
        hunting.run_hunting_query(client, 'DeviceInfo', timespan)
    assert client.sent == []


def test_without_timespan_the_body_holds_only_the_query():
    client = Client(ANSWER)
    assert hunting.run_hunting_query(client, 'DeviceInfo', None) == dict(
        results=ANSWER['results'], schema=ANSWER['schema'], row_count=1)
    assert client.sent[0]['body'] == {'Query': 'DeviceInfo'}


@pytest.mark.parametrize('query', ['', '   ', None, 42])
def test_an_empty_query_is_refused_naming_the_option(query):
    with pytest.raises(OptionError, match='^query must be a KQL query'):
        hunting.run_hunting_query(Client(ANSWER), query)


def test_beta_pascal_case_schema_keys_are_read():
    answer = dict(ANSWER, schema=[{'Name': 'DeviceName', 'Type': 'String'}])
    assert hunting.run_hunting_query(Client(answer), 'q')['schema'] == [dict(name='DeviceName', type='String')]


@pytest.mark.parametrize('answer', [{}, {'schema': [], 'results': 'rows'}, {'schema': [], 'results': [1]}])
def test_an_answer_without_the_lists_is_refused(answer):
    with pytest.raises(IncompleteAnswerError, match='without the "results" and "schema" lists'):
        hunting.run_hunting_query(Client(answer), 'q')


def graph_error(status, message, kind=GraphApiError):
    return kind('POST /v1.0/security/runHuntingQuery failed: HTTP %s X: %s (request-id: r-1, client-request-id: c-1)'
                % (status, message), status=status, code='X', request_id='r-1', client_request_id='c-1')


def test_a_429_names_the_quota_and_keeps_graphs_message():
    with pytest.raises(GraphApiError) as error:
        hunting.run_hunting_query(Client(graph_error(429, 'API calls quota exceeded!')), 'q')
    assert 'API calls quota exceeded!' in str(error.value) and 'at least 45 queries a minute' in str(error.value)
    assert error.value.details['request_id'] == 'r-1'


def test_a_retry_budget_error_names_the_quota():
    with pytest.raises(RetryBudgetError, match='retry after 60s.*at least 45 queries a minute'):
        hunting.run_hunting_query(Client(RetryBudgetError('Graph asked to retry after 60s', status=429)), 'q')


def test_the_size_limit_says_how_to_cap_the_rows():
    with pytest.raises(GraphApiError, match='exceeded the allowed result size.*at most 100,000 rows.*take or limit'):
        hunting.run_hunting_query(Client(graph_error(400, 'Query execution has exceeded the allowed result size')), 'q')


def test_a_kql_error_is_shown_as_graph_wrote_it_and_keeps_its_type():
    with pytest.raises(ForbiddenError) as error:
        hunting.run_hunting_query(Client(graph_error(403, 'Missing role', ForbiddenError)), 'q')
    assert str(error.value).endswith('Missing role (request-id: r-1, client-request-id: c-1)')


def test_no_log_withholds_graphs_message_not_its_ids():
    with pytest.raises(GraphApiError) as error:
        hunting.run_hunting_query(Client(graph_error(400, "parsed at 'secret-123'")), 'q "secret-123"', secret=True)
    text = str(error.value)
    assert 'secret-123' not in text
    assert "HTTP 400 X; Graph's message is withheld because the task is no_log" in text and 'request-id: r-1' in text

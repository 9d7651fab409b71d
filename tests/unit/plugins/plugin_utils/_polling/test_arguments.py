"""The event sources' arguments: the option tables, environment variables, bad values named."""
import pytest
import yaml

from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
from ansible_collections.msgraph.security.plugins.module_utils._core.errors import OptionError
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.alerts import AlertSource
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.arguments import POLLING_OPTIONS
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.incidents import IncidentSource

from tests.gates import event_source_doc


def resolve_arguments(args, source=IncidentSource):
    """The options as the source resolves and checks them (without building a client)."""
    options, dummy = source.resolve(args)
    return options


# --- arguments ---------------------------------------------------------------------------------

def test_environment_fallbacks_come_from_the_option_table(monkeypatch):
    for name, spec in CONNECTION_OPTIONS.items():
        for env in spec.get('env', []):
            monkeypatch.delenv(env, raising=False)
    monkeypatch.setenv(CONNECTION_OPTIONS['tenant_id']['env'][-1], 'tenant-from-second-name')
    monkeypatch.setenv(CONNECTION_OPTIONS['validate_certs']['env'][0], 'false')
    monkeypatch.setenv(CONNECTION_OPTIONS['timeout']['env'][0], '7')
    resolved = resolve_arguments({'severity': 'high, Medium'})
    assert resolved['tenant_id'] == 'tenant-from-second-name'
    assert resolved['validate_certs'] is False and resolved['timeout'] == 7
    assert resolved['severity'] == ['high', 'Medium']
    assert resolved['interval'] == POLLING_OPTIONS['interval']['default'] and resolved['changes'] == 'all'
    # An argument wins over the environment.
    assert resolve_arguments({'tenant_id': 'from-args'})['tenant_id'] == 'from-args'


@pytest.mark.parametrize('args, message', [
    ({'interval': 'often'}, 'interval'),
    ({'interval': -1}, 'interval'),
    ({'expand_alerts': 'maybe'}, 'expand_alerts=.*true or false'),
    ({'severity': [1]}, 'severity'),
    ({'status': ['closed']}, 'status'),
    ({'timeout': 'slow'}, 'timeout'),
    ({'changes': 'deleted'}, 'changes'),
])
def test_bad_arguments(args, message):
    with pytest.raises(OptionError, match=message):
        resolve_arguments(args)


@pytest.mark.parametrize('args, message', [
    ({'status': ['active']}, 'status'),  # an incident status, not an alert one
    ({'service_source': ['defender']}, 'service_source'),
    ({'assigned_to': 'KaiC@contoso.com'}, 'unknown argument assigned_to'),  # not an alert source filter
    ({'filter': 'status eq (1'}, 'filter'),
])
def test_bad_alert_source_arguments(args, message):
    with pytest.raises(OptionError, match=message):
        resolve_arguments(args, AlertSource)


def test_alert_source_takes_its_filters_in_any_case():
    options = resolve_arguments({'severity': 'HIGH', 'service_source': ['microsoftdefenderforendpoint'],
                                 'changes': 'Created'}, AlertSource)
    assert options['changes'] == 'created' and options['severity'] == ['HIGH']
    assert AlertSource.build_filter(options) == "severity eq 'high' and serviceSource eq 'microsoftDefenderForEndpoint'"


@pytest.mark.parametrize('source', [IncidentSource, AlertSource], ids=['incidents', 'alerts'])
def test_documentation_matches_the_option_tables(source):
    text = open(event_source_doc.path(source.plural)).read()
    documentation = yaml.safe_load(text.split("DOCUMENTATION = r'''", 1)[1].split("'''", 1)[0])
    documented = documentation['options']
    own, query, connection = source.tables()
    for name, spec in own.items():
        assert documented[name]['type'] == spec['type'] and documented[name].get('default') == spec.get('default')
    assert set(documented) == set(own) | set(source.query_names) | set(CONNECTION_OPTIONS)
    for name, spec in CONNECTION_OPTIONS.items():
        assert documented[name]['type'] == spec.get('type', 'str'), name
    assert documentation['name'] == source.plural and source.plural in documented['changes']['description'][1]


def test_documentation_is_generated_from_the_tables():
    assert not event_source_doc.stale(), 'run python tests/gates/event_source_doc.py: the option tables changed'


def test_ansible_rulebook_feedback_arguments_are_accepted_not_options():
    options, queue = IncidentSource.resolve({'feedback': True, 'eda_feedback_queue': 'q'})
    assert queue == 'q' and 'feedback' not in options and 'eda_feedback_queue' not in options


@pytest.mark.parametrize('value, expected', [(0, 0.0), ('30', 30.0)])
def test_replay_takes_zero_and_more(value, expected):
    assert resolve_arguments({'replay': value})['replay'] == expected


def test_negative_replay_names_the_option():
    with pytest.raises(OptionError, match=r'replay=-1 must be a number of seconds \(0 or more\)'):
        resolve_arguments({'replay': -1})

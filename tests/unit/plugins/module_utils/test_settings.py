"""Cloud selection and URL checks."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils.errors import MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils.settings import Settings

from .option_values import options


@pytest.mark.parametrize('cloud, graph, authority', [
    ('global', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'),
    ('AzureCloud', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'),
    ('usgov', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'),
    ('AzureUSGovernment', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'),
    ('usgov_dod', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'),
])
def test_cloud_sets_graph_root_authority_and_scope(cloud, graph, authority):
    settings = Settings(options(cloud=cloud))
    assert (settings.graph_root, settings.authority_host) == (graph, authority)
    assert settings.scope == graph + '/.default'
    assert settings.api_root == graph + '/v1.0'


@pytest.mark.parametrize('cloud', ['china', 'AzureChinaCloud'])
def test_china_is_refused_with_the_reason(cloud):
    with pytest.raises(MsGraphError, match='not offered in the China cloud'):
        Settings(options(cloud=cloud))


def test_unknown_cloud_lists_the_known_ones():
    with pytest.raises(MsGraphError, match='global, usgov, usgov_dod'):
        Settings(options(cloud='mars'))


def test_overrides_win_over_the_cloud():
    settings = Settings(options(cloud='usgov', graph_url='https://127.0.0.1:8443/', authority_host='https://127.0.0.1:8443',
                                api_version='beta'))
    assert settings.api_root == 'https://127.0.0.1:8443/beta'
    # graph_url says where requests go, never what the token is for: Entra ID knows no proxy.
    assert settings.scope == 'https://graph.microsoft.us/.default'
    assert settings.token_audience == 'https://graph.microsoft.us' and not settings.audience_overridden


@pytest.mark.parametrize('value', ['api://graph-proxy', 'api://graph-proxy/', 'api://graph-proxy/.default',
                                   ' api://graph-proxy '])
def test_token_audience_is_explicit_and_takes_a_scope_too(value):
    settings = Settings(options(graph_url='https://graph-proxy.corp.example', token_audience=value))
    assert settings.scope == 'api://graph-proxy/.default'
    assert settings.audience_overridden and settings.graph_resource == 'https://graph.microsoft.com'


@pytest.mark.parametrize('value', ['', None])
def test_empty_token_audience_means_the_clouds_graph(value):
    # AWX injects an empty MSGRAPH_TOKEN_AUDIENCE when the field is left blank.
    assert Settings(options(cloud='usgov_dod', token_audience=value)).scope == 'https://dod-graph.microsoft.us/.default'


def test_token_audience_with_spaces_is_refused():
    with pytest.raises(MsGraphError, match='token_audience=a b must be one resource id'):
        Settings(options(token_audience='a b'))


@pytest.mark.parametrize('option', ['graph_url', 'authority_host'])
@pytest.mark.parametrize('value', ['http://graph.microsoft.com', 'graph.microsoft.com', 'https://x/?a=b'])
def test_urls_must_be_https(option, value):
    with pytest.raises(MsGraphError, match=option):
        Settings(options(**{option: value}))


def test_verify_follows_validate_certs_and_ca_path():
    assert Settings(options()).verify is True
    assert Settings(options(ca_path='/tmp/ca.pem')).verify == '/tmp/ca.pem'
    assert Settings(options(validate_certs=False, ca_path='/tmp/ca.pem')).verify is False


@pytest.mark.parametrize('option, value', [('timeout', 0), ('timeout', 'soon'), ('max_retries', -1)])
def test_numbers_are_checked(option, value):
    with pytest.raises(MsGraphError, match=option):
        Settings(options(**{option: value}))

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
    assert settings.scope == 'https://127.0.0.1:8443/.default'


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

"""Cloud selection and URL checks."""
import pytest

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError
from ansible_collections.msgraph.security.plugins.module_utils._core.settings import Settings

from ..option_values import options


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


def test_verify_follows_validate_certs_and_ca_path(tmp_path):
    ca = tmp_path / 'ca.pem'
    ca.write_text('-----BEGIN CERTIFICATE-----\n')
    assert Settings(options()).verify is True
    assert Settings(options(ca_path=str(ca))).verify == str(ca)
    assert Settings(options(validate_certs=False, ca_path=str(ca))).verify is False


@pytest.mark.parametrize('path, reason', [('/nonexistent/ca.pem', 'not found'), ('/tmp', 'it is a directory')])
def test_a_missing_ca_path_is_named(path, reason):
    with pytest.raises(MsGraphError, match='ca_path=%s: no such file \\(%s' % (path, reason)):
        Settings(options(ca_path=path))


@pytest.mark.parametrize('option', ['graph_url', 'authority_host'])
@pytest.mark.parametrize('value', ['https://', 'https://host:notaport', 'https://host:0', 'https://ho st',
                                   'https://host/a b', 'https://ho\nst', 'https://:443'])
def test_malformed_urls_are_named(option, value):
    with pytest.raises(MsGraphError, match='^%s=' % option):
        Settings(options(**{option: value}))


@pytest.mark.parametrize('value', ['proxy.example.com:3128', 'http://proxy:notaport', 'ftp://proxy:21',
                                   'http://', 'http://pro xy:3128'])
def test_malformed_proxy_is_named(value):
    with pytest.raises(MsGraphError, match='^proxy='):
        Settings(options(proxy=value))


def test_proxy_password_is_never_shown():
    with pytest.raises(MsGraphError) as caught:
        Settings(options(proxy='http://user:s3cr3t-proxy-pass@proxy:badport'))
    assert 's3cr3t-proxy-pass' not in str(caught.value)
    assert '***@proxy:badport' in str(caught.value)


@pytest.mark.parametrize('value', ['http://proxy.example.com:3128', 'socks5h://proxy:1080', 'https://proxy'])
def test_good_proxies_pass(value):
    assert Settings(options(proxy=value)).proxy == value


SECRET = 'Sx8~never-show-this-secret.value_0123456789'


@pytest.mark.parametrize('name', ['client_secret', 'client_certificate_password', 'access_token'])
@pytest.mark.parametrize('padding', ['\n', '\r\n', '  ', '\t\n'])
def test_surrounding_whitespace_is_trimmed_from_secrets(name, padding):
    assert Settings(options(**{name: padding + SECRET + padding})).secrets[name] == SECRET


@pytest.mark.parametrize('name', ['client_secret', 'client_certificate_password', 'access_token'])
@pytest.mark.parametrize('inner', ['\n', '\x00', '\x1b', '\u2028', '\x7f'])
def test_inner_control_characters_are_refused_without_echo(name, inner):
    value = SECRET[:20] + inner + SECRET[20:]
    with pytest.raises(MsGraphError, match='^%s .*control character' % name) as caught:
        Settings(options(**{name: value}))
    text = str(caught.value) + repr(caught.value)
    for form in (SECRET[:20], SECRET[20:], SECRET[:8], repr(value)[1:-1]):
        assert form not in text


@pytest.mark.parametrize('token', [SECRET[:10] + u'\u00e9' + SECRET[10:], u'\u0442\u043e\u043a\u0435\u043d' + SECRET,
                                   'Bearer ' + SECRET])
def test_a_token_that_cannot_be_a_header_is_refused_without_echo(token):
    with pytest.raises(MsGraphError, match='^access_token .*printable ASCII') as caught:
        Settings(options(access_token=token))
    assert SECRET[:8] not in str(caught.value) and SECRET[-8:] not in str(caught.value)


@pytest.mark.parametrize('option, value', [('timeout', 0), ('timeout', 'soon'), ('max_retries', -1)])
def test_numbers_are_checked(option, value):
    with pytest.raises(MsGraphError, match=option):
        Settings(options(**{option: value}))


@pytest.mark.parametrize('cloud, root, audience', [
    ('global', 'https://api.security.microsoft.com', 'https://api.securitycenter.microsoft.com'),
    ('usgov', 'https://api-gov.securitycenter.microsoft.us', 'https://api-gov.securitycenter.microsoft.us'),
    ('usgov_dod', 'https://api-gov.securitycenter.microsoft.us', 'https://api-gov.securitycenter.microsoft.us'),
])
def test_cloud_sets_the_defender_api_root_and_its_own_audience(cloud, root, audience):
    defender = Settings(options(cloud=cloud)).endpoint('defender')
    assert (defender.root, defender.api_root, defender.audience) == (root, root + '/api', audience)


def test_defender_url_and_token_audience_each_change_only_their_own_part():
    settings = Settings(options(defender_url='https://eu.api.security.microsoft.com/', token_audience='api://graph-proxy',
                                graph_url='https://graph-proxy.corp.example'))
    defender = settings.endpoint('defender')
    assert defender.api_root == 'https://eu.api.security.microsoft.com/api'
    # Where Defender requests go never changes whom its tokens are for, and Graph's audience is Graph's only.
    assert defender.audience == 'https://api.securitycenter.microsoft.com'
    assert settings.endpoint('graph').audience == 'api://graph-proxy' == settings.token_audience


@pytest.mark.parametrize('value', ['http://api.security.microsoft.com', 'https://', 'https://host/?x=1', 'https://a b'])
def test_a_bad_defender_url_names_the_option(value):
    with pytest.raises(MsGraphError, match='^defender_url='):
        Settings(options(defender_url=value))

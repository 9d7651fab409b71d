"""Incident text made inert: no string of an event can open a Jinja template, and the text stays readable."""
import jinja2
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.msgraph.security.plugins.plugin_utils._polling.event_text import inert, inert_text

OPENERS = ('{{', '{%', '{#')


def opens_a_template(text):
    """What any templar checks first, whichever ansible-core: a Jinja opener anywhere, or an overrides header."""
    return any(marker in text for marker in OPENERS) or text.lower().startswith('#jinja2:')


def test_each_opener_loses_its_brace_and_nothing_else_changes():
    assert inert_text("{{ lookup('pipe', 'id') }}") == "\uff5b{ lookup('pipe', 'id') }}"
    assert inert_text('{% if x %}y{% endif %}') == '\uff5b% if x %}y\uff5b% endif %}'
    assert inert_text('{# c #}') == '\uff5b# c #}'
    assert inert_text('{{{ x }}}') == '\uff5b\uff5b{ x }}}'
    assert inert_text("#jinja2:variable_start_string:'[['\n[[ x ]]") == "\uff03jinja2:variable_start_string:'[['\n[[ x ]]"
    assert inert_text('#JINJA2:trim_blocks:True') == '\uff03JINJA2:trim_blocks:True'
    # Braces that open nothing, and everything else, arrive as Graph sent them.
    for text in ('', 'Ransomware on srv-file02', '{"json": 1}', 'a { b } c', '}}', '%}', '#}', 'tag #jinja', '\u00e9t\u00e9'):
        assert inert_text(text) == text


def test_every_string_of_the_event_is_made_inert_keys_and_nesting_included():
    event = {'incident': {'id': '7', 'severity': 'high', 'displayName': '{{ a }}', 'customTags': ['ok', '{% b %}'],
                          'alerts': [{'title': '{# c #}', 'evidence': [{'{{ key }}': '#jinja2:x'}], 'score': 3,
                                      'flag': True, 'none': None}]},
             'change': 'created'}
    assert inert(event) == {
        'incident': {'id': '7', 'severity': 'high', 'displayName': '\uff5b{ a }}', 'customTags': ['ok', '\uff5b% b %}'],
                     'alerts': [{'title': '\uff5b# c #}', 'evidence': [{'\uff5b{ key }}': '\uff03jinja2:x'}], 'score': 3,
                                 'flag': True, 'none': None}]},
        'change': 'created'}
    assert event['incident']['displayName'] == '{{ a }}'  # a copy: the incident read stays intact


@given(st.text(alphabet=st.sampled_from(list('{}%#jinJA2: xab\n')), max_size=40))
def test_no_text_opens_a_template_after_and_the_original_can_be_read_back(text):
    safe = inert_text(text)
    assert not opens_a_template(safe)
    assert safe.replace('\uff5b', '{').replace('\uff03', '#') == text


@given(st.text(alphabet=st.sampled_from(list('{}%#x =')), max_size=30))
def test_jinja_renders_the_inert_text_as_itself(text):
    # The strongest check available without a core: Jinja, given the text as a template, finds nothing to evaluate.
    safe = inert_text(text)
    assert jinja2.Environment().from_string(safe).render() == safe

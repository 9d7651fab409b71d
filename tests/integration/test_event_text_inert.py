"""Incident and alert text is data, never a template: the real ansible-rulebook starts a playbook that reads hostile fields.

The title, description and a list of strings (an incident's tags, an alert's evidence) carry Jinja that
would create files on the controller if any templar evaluated it. The playbook reads them the ways EDA's
examples teach: ansible_eda.event.<item>.* directly, an extra var the rulebook set from the title, and (the
ansible-core 2.16 trap) only the id. No file may appear, and the text must arrive readable. Both sources.
"""
import json

import pytest

from tests.rulebook_runner import require_rulebook, start_rulebook

# What a template-opening { and a #jinja2: header become (docs/eda.md, "Incident text is data, never a template").
BRACE = '\uff5b'
HASH = '\uff03'

PLAYBOOK = '''---
- name: Read hostile text
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Only the id (on ansible-core 2.16 this alone once rendered every field of the event)
      ansible.builtin.debug:
        msg: "SEEN ID {{{{ ansible_eda.event.{key}.id }}}}"
    - name: The fields themselves, and the title through an extra var set by the rulebook
      ansible.builtin.copy:
        dest: "{{{{ seen_file }}}}"
        content: >-
          {{{{ {{'description': ansible_eda.event.{key}.description, 'strings': ansible_eda.event.{key}.{strings},
              'title': title}} | to_json }}}}
    - name: Done
      ansible.builtin.debug:
        msg: "PLAYBOOK DONE {{{{ ansible_eda.event.{key}.id }}}}"
'''

RULEBOOK = '''---
- name: Hostile text
  hosts: localhost
  sources:
    - msgraph.security.{plural}:
        interval: 1
  rules:
    - name: Its title is matched as Graph sent it, outside the template openers
      condition: event.change == "created" and event.{key}.{title} is search("Invoice", ignorecase=true)
      action:
        run_playbook:
          name: {playbook}
          extra_vars:
            title: "{{{{ event.{key}.{title} }}}}"
            seen_file: {seen}
'''
# Per source: the item's key in the event, its title field, the list of strings read, the app that reads it.
SOURCES = {
    'incidents': dict(key='incident', title='displayName', strings='customTags', app='reader-secret'),
    'alerts': dict(key='alert', title='title', strings='evidence', app='alert-reader'),
}


def create(graph, plural, title, description, strings):
    """A new incident (the strings as its tags) or alert (the strings as file names of its evidence)."""
    if plural == 'incidents':
        return graph.create_incident({'severity': 'high', 'displayName': title, 'description': description,
                                      'customTags': strings})
    evidence = [{'@odata.type': '#microsoft.graph.security.fileEvidence', 'detectionStatus': 'detected',
                 'fileDetails': {'fileName': name, 'sha256': '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'},
                 'remediationStatus': 'none', 'verdict': 'malicious', 'roles': [], 'tags': []} for name in strings]
    return graph.create_alert('300', {'severity': 'high', 'title': title, 'description': description,
                                      'evidence': evidence})


def strings_seen(plural, seen):
    return seen if plural == 'incidents' else [item['fileDetails']['fileName'] for item in seen]


@pytest.fixture
def graph(emulator):
    require_rulebook()
    emulator.reset()
    yield emulator
    emulator.reset()


@pytest.mark.parametrize('plural', sorted(SOURCES))
def test_hostile_text_reaches_the_playbook_readable_and_never_runs(graph, collections_path, tmp_path, plural):
    source = SOURCES[plural]
    marks = tmp_path / 'marks'
    marks.mkdir()

    def touch(name):
        return "lookup('pipe', 'touch %s')" % (marks / name)

    title = 'Invoice {{ %s }}' % touch('title')
    description = 'Open it: {%% if %s %%}{%% endif %%} {# note #}' % touch('description')
    # A header that would make [[ ]] the delimiters of the rest of the string.
    header = "#jinja2:variable_start_string:'[[', variable_end_string:']]'\n[[ %s ]]" % touch('header')
    tags = ['plain', 'x{{ %s }}' % touch('tag'), header]
    playbook = tmp_path / 'read_text.yml'
    playbook.write_text(PLAYBOOK.format(**source))
    seen = tmp_path / 'seen.json'
    rulebook = tmp_path / 'rulebook.yml'
    rulebook.write_text(RULEBOOK.format(playbook=playbook, seen=seen, plural=plural, **source))
    run = start_rulebook(collections_path, str(rulebook), str(tmp_path), env=graph.env(source['app']))
    try:
        run.wait_for('msgraph.security.%s: polling %s/v1.0' % (plural, graph.url))
        item = create(graph, plural, title, description, tags)
        run.wait_for('PLAY RECAP', timeout=120)
    finally:
        run.stop()
    ran = sorted(path.name for path in marks.iterdir())
    assert ran == [], 'the text of %s ran as a template:\n%s' % (ran, run.output[-6000:])
    assert 'SEEN ID %s' % item['id'] in run.output and 'PLAYBOOK DONE %s' % item['id'] in run.output, run.output[-8000:]
    # Readable: each { that opens a template became U+FF5B, a leading #jinja2: got U+FF03; nothing else changed.
    got = json.loads(seen.read_text())
    got['strings'] = strings_seen(plural, got['strings'])
    assert got == {
        'title': 'Invoice %s{ %s }}' % (BRACE, touch('title')),
        'description': 'Open it: %s%% if %s %%}%s%% endif %%} %s# note #}' % (BRACE, touch('description'), BRACE, BRACE),
        'strings': ['plain', 'x%s{ %s }}' % (BRACE, touch('tag')), HASH + header[1:]],
    }

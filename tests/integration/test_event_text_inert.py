"""Incident text is data, never a template: the real ansible-rulebook starts a playbook that reads hostile fields.

The incident's title, description and tags carry Jinja that would create files on the controller if any
templar evaluated it. The playbook reads them the ways EDA's examples teach: ansible_eda.event.incident.*
directly, an extra var the rulebook set from ``{{ event.incident.displayName }}``, and (the ansible-core
2.16 trap) only the incident id. No file may appear, and the text must arrive readable.
"""
import json

import pytest

from tests.rulebook_runner import require_rulebook, start_rulebook

# What a template-opening { and a #jinja2: header become (docs/eda.md, "Incident text is data, never a template").
BRACE = '\uff5b'
HASH = '\uff03'

PLAYBOOK = '''---
- name: Read hostile incident text
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Only the id (on ansible-core 2.16 this alone once rendered every field of the event)
      ansible.builtin.debug:
        msg: "SEEN ID {{ ansible_eda.event.incident.id }}"
    - name: The fields themselves, and the title through an extra var set by the rulebook
      ansible.builtin.copy:
        dest: "{{ seen_file }}"
        content: >-
          {{ {'description': ansible_eda.event.incident.description, 'tags': ansible_eda.event.incident.customTags,
              'title': title} | to_json }}
    - name: Done
      ansible.builtin.debug:
        msg: "PLAYBOOK DONE {{ ansible_eda.event.incident.id }}"
'''

RULEBOOK = '''---
- name: Hostile text
  hosts: localhost
  sources:
    - msgraph.security.incidents:
        interval: 1
  rules:
    - name: Its title is matched as Graph sent it, outside the template openers
      condition: event.change == "created" and event.incident.displayName is search("Invoice", ignorecase=true)
      action:
        run_playbook:
          name: {playbook}
          extra_vars:
            title: "{{{{ event.incident.displayName }}}}"
            seen_file: {seen}
'''


@pytest.fixture
def graph(emulator):
    require_rulebook()
    emulator.reset()
    yield emulator
    emulator.reset()


def test_hostile_incident_text_reaches_the_playbook_readable_and_never_runs(graph, collections_path, tmp_path):
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
    playbook.write_text(PLAYBOOK)
    seen = tmp_path / 'seen.json'
    rulebook = tmp_path / 'rulebook.yml'
    rulebook.write_text(RULEBOOK.format(playbook=playbook, seen=seen))
    run = start_rulebook(collections_path, str(rulebook), str(tmp_path), env=graph.env('reader-secret'))
    try:
        run.wait_for('msgraph.security.incidents: polling %s/v1.0' % graph.url)
        incident = graph.create_incident({'severity': 'high', 'displayName': title, 'description': description,
                                          'customTags': tags})
        run.wait_for('PLAY RECAP', timeout=120)
    finally:
        run.stop()
    ran = sorted(path.name for path in marks.iterdir())
    assert ran == [], 'the text of %s ran as a template:\n%s' % (ran, run.output[-6000:])
    assert 'SEEN ID %s' % incident['id'] in run.output and 'PLAYBOOK DONE %s' % incident['id'] in run.output, run.output[-8000:]
    # Readable: each { that opens a template became U+FF5B, a leading #jinja2: got U+FF03; nothing else changed.
    assert json.loads(seen.read_text()) == {
        'title': 'Invoice %s{ %s }}' % (BRACE, touch('title')),
        'description': 'Open it: %s%% if %s %%}%s%% endif %%} %s# note #}' % (BRACE, touch('description'), BRACE, BRACE),
        'tags': ['plain', 'x%s{ %s }}' % (BRACE, touch('tag')), HASH + header[1:]],
    }

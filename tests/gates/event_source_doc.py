"""Write the DOCUMENTATION options of the event sources from their option tables, or check them.

Each source's own options, the query options it takes and the collection's connection options are
defined in tables (plugins/plugin_utils/_polling/ and module_utils); each source file holds their
rendering under ``options:``, after its hand-written description. Edit a table, then run this;
tests/unit/plugins/plugin_utils/_polling/test_arguments.py fails while a file is stale.

usage: python tests/gates/event_source_doc.py [--check]
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tests.dev_collection import ensure_link  # noqa: E402

sys.path.insert(0, ensure_link())

from ansible_collections.msgraph.security.plugins.plugin_utils._controller.option_docs import render_options  # noqa: E402
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.alerts import AlertSource  # noqa: E402
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.incidents import IncidentSource  # noqa: E402

SOURCES = dict((source.plural, source) for source in (IncidentSource, AlertSource))
OPEN, CLOSE = "DOCUMENTATION = r'''\n", "'''\n"


def path(plural):
    return os.path.join(ROOT, 'extensions', 'eda', 'plugins', 'event_source', plural + '.py')


def rendered(current, source):
    """The source file's text with its DOCUMENTATION options rendered from the tables."""
    before, rest = current.split(OPEN, 1)
    documentation, after = rest.split(CLOSE, 1)
    prose = documentation.split('\noptions:\n', 1)[0].rstrip('\n') + '\n'
    merged = {}
    for table in source.tables():
        merged.update(table)
    return before + OPEN + prose + render_options(merged) + CLOSE + after


def stale():
    """The source files whose options differ from their tables."""
    found = []
    for plural, source in sorted(SOURCES.items()):
        with open(path(plural)) as handle:
            current = handle.read()
        if current != rendered(current, source):
            found.append(os.path.relpath(path(plural), ROOT))
    return found


def main(argv):
    if argv == ['--check']:
        if stale():
            sys.exit('stale: %s; run python tests/gates/event_source_doc.py' % ', '.join(stale()))
        print('the event source documentation matches its option tables')
        return
    if argv:
        sys.exit(__doc__)
    for plural, source in sorted(SOURCES.items()):
        with open(path(plural)) as handle:
            current = handle.read()
        with open(path(plural), 'w') as handle:
            handle.write(rendered(current, source))
        print('wrote %s' % os.path.relpath(path(plural), ROOT))


if __name__ == '__main__':
    main(sys.argv[1:])

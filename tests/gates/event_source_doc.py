"""Write the DOCUMENTATION options of the incidents event source from its option tables, or check them.

The source's own options, the query options it takes and the collection's connection options are
defined in tables (plugins/plugin_utils/_polling/incidents.py and module_utils); the source file
holds their rendering under ``options:``, after its hand-written description. Edit a table, then
run this; tests/unit/plugins/plugin_utils/_polling/test_arguments.py fails while the file is stale.

usage: python tests/gates/event_source_doc.py [--check]
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

from tests.dev_collection import ensure_link  # noqa: E402

sys.path.insert(0, ensure_link())

from ansible_collections.msgraph.security.plugins.plugin_utils._controller.option_docs import render_options  # noqa: E402
from ansible_collections.msgraph.security.plugins.plugin_utils._polling.incidents import tables  # noqa: E402

SOURCE = os.path.join(ROOT, 'extensions', 'eda', 'plugins', 'event_source', 'incidents.py')
OPEN, CLOSE = "DOCUMENTATION = r'''\n", "'''\n"


def rendered(current):
    """The source file's text with its DOCUMENTATION options rendered from the tables."""
    before, rest = current.split(OPEN, 1)
    documentation, after = rest.split(CLOSE, 1)
    prose = documentation.split('\noptions:\n', 1)[0].rstrip('\n') + '\n'
    merged = {}
    for table in tables():
        merged.update(table)
    return before + OPEN + prose + render_options(merged) + CLOSE + after


def stale():
    with open(SOURCE) as handle:
        current = handle.read()
    return current != rendered(current)


def main(argv):
    with open(SOURCE) as handle:
        current = handle.read()
    if argv == ['--check']:
        if current != rendered(current):
            sys.exit('stale: run python tests/gates/event_source_doc.py')
        print('the event source documentation matches its option tables')
        return
    if argv:
        sys.exit(__doc__)
    with open(SOURCE, 'w') as handle:
        handle.write(rendered(current))
    print('wrote %s' % os.path.relpath(SOURCE, ROOT))


if __name__ == '__main__':
    main(sys.argv[1:])

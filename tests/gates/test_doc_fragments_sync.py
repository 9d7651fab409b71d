"""The doc fragments are the rendering of the option tables: fail while one is stale."""
from tests.gates import doc_fragments


def test_doc_fragments_match_option_tables():
    assert doc_fragments.stale() == [], 'run make doc-fragments: the option tables changed'


def test_fragments_render_every_option():
    from ansible_collections.msgraph.security.plugins.module_utils._core.connection_options import CONNECTION_OPTIONS
    from ansible_collections.msgraph.security.plugins.module_utils._resources.query_options import QUERY_OPTIONS
    from ansible_collections.msgraph.security.plugins.module_utils._resources.write_options import TARGET_OPTIONS, UPDATE_OPTIONS
    for name, table in (('connection.py', CONNECTION_OPTIONS), ('incident_query.py', QUERY_OPTIONS),
                        ('incident_target.py', TARGET_OPTIONS), ('incident_update.py', UPDATE_OPTIONS)):
        text = doc_fragments.source(name)
        for option in table:
            assert '\n  %s:\n' % option in text, (name, option)

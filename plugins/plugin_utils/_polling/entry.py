# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Internal to msgraph.security (not a public API): it may change in any release, even a bugfix one.
"""An event source file under extensions/eda run by hand, without ansible-rulebook, to try it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import json
import logging
import sys

from ansible_collections.msgraph.security.plugins.module_utils._core.errors import MsGraphError


class _PrintQueue:
    async def put(self, event):
        print(json.dumps(event), flush=True)


def try_it(main, name, argv):
    """``python <source>.py '{"interval": 10}'``: the events as JSON lines on stdout, what the source does
    (its start, each poll) on stderr, until Ctrl-C; ``main`` is the file's ansible-rulebook entry point."""
    logging.basicConfig(level=logging.INFO, format='%(message)s')
    logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        asyncio.run(main(_PrintQueue(), json.loads(argv[1]) if len(argv) > 1 else {}))
    except KeyboardInterrupt:
        print('%s: stopped.' % name, file=sys.stderr)
    except MsGraphError as error:
        sys.exit('%s: %s' % (name, error))

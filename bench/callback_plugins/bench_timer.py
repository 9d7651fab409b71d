# -*- coding: utf-8 -*-
# Copyright: contributors to the msgraph.security collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper: writes each task's duration (start to its last host result) to $BENCH_TIMER_FILE."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: bench_timer
type: aggregate
short_description: Task durations for bench/run.py
description: Writes a JSON list of {task, seconds} to the file named by BENCH_TIMER_FILE at the end of the run.
'''

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timer'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._tasks = []

    def v2_playbook_on_task_start(self, task, is_conditional):
        now = time.perf_counter()
        self._tasks.append({'task': task.get_name(), 'start': now, 'end': now})

    def _result(self, result, *args, **kwargs):
        if self._tasks:
            self._tasks[-1]['end'] = time.perf_counter()

    v2_runner_on_ok = v2_runner_on_failed = v2_runner_on_skipped = v2_runner_on_unreachable = _result

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get('BENCH_TIMER_FILE')
        if path:
            with open(path, 'w') as handle:
                json.dump([{'task': t['task'], 'seconds': round(t['end'] - t['start'], 4)} for t in self._tasks],
                          handle)

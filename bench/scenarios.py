"""The scenarios of issue 6: what is run, what it is compared with, and the targets checked.

A scenario has variants (playbooks in bench/playbooks) and one reference variant that the others'
wall time is divided by. prepare() gives the extra vars and environment a variant needs from the
running emulator; targets() turns the measured summaries into (target, met, detail) lines.
"""
import math
import os
import subprocess
import sys

from harness import BENCH

LIST_FILTER = 'createdDateTime ge 2025-01-01T00:00:00Z'  # what created_after: "2025-01-01" sends
LIST_SIZE = 1000
PAGE_SIZE = 50  # Graph's (and the emulator's) page size for incidents
IDS = [str(n) for n in range(1, 101)]
IDS_200 = [str(n) for n in range(1, 201)]


class Variant:
    def __init__(self, name, playbook, description, inventory=None, app='reader-secret'):
        self.name = name
        self.playbook = playbook
        self.description = description
        self.inventory = inventory
        self.app = app  # the emulator app whose credentials the run gets (writer-secret may write)


class Scenario:
    name = title = reference = None
    variants = ()
    task = None  # the name of a task whose own duration is reported too
    writes = False  # the variants change incidents: the emulator's dataset is restored before each run

    def prepare(self, emulator):
        """{variant name: (extra_vars, env)} for this emulator."""
        return dict((v.name, ({}, {})) for v in self.variants)

    def targets(self, s):  # s: the summary of each variant, by name
        return []


class Forks20(Scenario):
    name = 'forks_20'
    title = '20 forks, one task each'
    reference = 'unshared'
    variants = (
        Variant('shared', 'forks20.yml', 'incident_info on 20 hosts, forks 20 (the run shares one token)',
                inventory='hosts20.ini'),
        Variant('unshared', 'forks20.yml', 'the same with MSGRAPH_SHARE_TOKENS=false (each task its own token)',
                inventory='hosts20.ini'),
    )

    def prepare(self, emulator):
        forks = {'ANSIBLE_FORKS': '20'}
        return {'shared': ({}, forks), 'unshared': ({}, dict(forks, MSGRAPH_SHARE_TOKENS='false'))}

    def targets(self, s):
        shared, unshared = s['shared'], s['unshared']
        detail = '%s (%s); unshared %s; %.2f s vs %.2f s' % (
            shared['round_trips'], shared['breakdown'], unshared['round_trips'], shared['wall_median'],
            unshared['wall_median'])
        return [('round trips <= 22 (one OpenID configuration, one token, 20 GETs)',
                 _within(shared['round_trips'], 22), detail)]


def _within(value, limit):
    return value is not None and value <= limit


class OneIncident(Scenario):
    name = 'one_incident'
    title = 'one incident, fresh play'
    reference = 'uri'
    variants = (
        Variant('collection', 'one_incident_collection.yml', 'incident_info, credentials from AZURE_*'),
        Variant('uri', 'one_incident_uri.yml', 'uri: token POST + GET'),
    )

    def targets(self, s):
        col, ref = s['collection'], s['uri']
        return [
            ('round trips <= 2 (token, GET; the OpenID configuration kept from an earlier run)',
             _within(col['round_trips'], 2), '%s (%s)' % (col['round_trips'], col['breakdown'])),
            ('wall time not slower than the baseline', col['wall_median'] <= ref['wall_median'],
             '%.2f s vs %.2f s (x%.2f)' % (col['wall_median'], ref['wall_median'], col['ratio'])),
        ]


class Ids100(Scenario):
    name = 'ids_100'
    title = '100 incidents by id, one task'
    reference = 'uri'
    variants = (
        Variant('module', 'ids_module.yml', 'incident_info incident_ids ($batch of 20)'),
        Variant('lookup', 'ids_lookup.yml', "query('msgraph.security.incident', *ids) in set_fact"),
        Variant('uri', 'ids_uri.yml', 'uri: token POST + GET per id in a loop'),
    )

    def prepare(self, emulator):
        return dict((v.name, ({'ids': IDS}, {})) for v in self.variants)

    def targets(self, s):
        ref = s['uri']['wall_median']
        lines = []
        for name in ('module', 'lookup'):
            lines.append(('%s: round trips <= 8 (batches of 20)' % name, _within(s[name]['round_trips'], 8),
                          '%s (%s)' % (s[name]['round_trips'], s[name]['breakdown'])))
            lines.append(('%s: wall time <= 1/10 of the baseline loop' % name, s[name]['wall_median'] <= ref / 10,
                          '%.2f s vs %.2f s (x%.3f)' % (s[name]['wall_median'], ref, s[name]['ratio'])))
        return lines


class List1000(Scenario):
    name = 'list_1000'
    title = 'list 1,000 incidents with a filter'
    reference = 'uri'
    variants = (
        Variant('collection', 'list_collection.yml', 'incident_info created_after ($count, $skip pages in $batch)'),
        Variant('uri', 'list_uri.yml', 'uri: token POST + follow @odata.nextLink (recursive include_tasks)'),
    )

    def prepare(self, emulator):
        expected = emulator.incident_ids(LIST_FILTER)
        if len(expected) != LIST_SIZE:
            raise RuntimeError('the emulator selects %d incidents with %r, not %d: start it with --incidents %d'
                               % (len(expected), LIST_FILTER, LIST_SIZE, LIST_SIZE + 1))
        return dict((v.name, ({'expected_ids': expected}, {})) for v in self.variants)

    def targets(self, s):
        pages = int(math.ceil(LIST_SIZE / float(PAGE_SIZE)))
        col, ref = s['collection'], s['uri']
        return [
            ('round trips <= pages + 2 = %d' % (pages + 2), _within(col['round_trips'], pages + 2),
             '%s (%s); baseline %s' % (col['round_trips'], col['breakdown'], ref['round_trips'])),
            ('no duplicate, no miss (ids, order and count checked against the emulator)', col['ok'] and ref['ok'],
             '%d of %d ids, in the emulator\'s order, both variants' % (LIST_SIZE, LIST_SIZE)),
            ('gain reported', True, '%.2f s vs %.2f s (x%.2f)' % (col['wall_median'], ref['wall_median'], col['ratio'])),
        ]


class TenTasks(Scenario):
    name = 'ten_tasks'
    title = '10 tasks each reading one incident'
    reference = 'uri'
    variants = (
        Variant('token_reuse', 'ten_tasks_token.yml', 'msgraph.security.token once + module_defaults access_token'),
        Variant('plain', 'ten_tasks_plain.yml', 'incident_info x10 with the client secret (the run shares one token)'),
        Variant('uri', 'ten_tasks_uri.yml', 'uri: token POST + 10 GET tasks'),
    )

    def targets(self, s):
        reuse, plain = s['token_reuse'], s['plain']
        return [
            ('plain tasks, no wiring: round trips <= 12 (instead of 30)', _within(plain['round_trips'], 12),
             '%s (%s); token lookup %s' % (plain['round_trips'], plain['breakdown'], reuse['round_trips'])),
            ('plain tasks: wall time <= 0.95x the baseline', plain['ratio'] <= 0.95,
             'plain %.2f s, token lookup %.2f s, baseline %.2f s (x%.2f)'
             % (plain['wall_median'], reuse['wall_median'], s['uri']['wall_median'], plain['ratio'])),
        ]


class Startup(Scenario):
    name = 'startup'
    title = 'module start-up (one task)'
    reference = 'client_secret'
    variants = (
        Variant('access_token', 'startup.yml', 'incident_info with MSGRAPH_ACCESS_TOKEN (msal import blocked)'),
        Variant('client_secret', 'startup.yml', 'incident_info with AZURE_CLIENT_SECRET'),
    )
    task = 'Read the incident'

    def prepare(self, emulator):
        app = emulator.apps['reader-secret']
        response = emulator.session().post(emulator.authority + '/oauth2/v2.0/token', timeout=30, data={
            'client_id': app['client_id'], 'client_secret': app['client_secret'],
            'scope': emulator.scope, 'grant_type': 'client_credentials'})
        response.raise_for_status()
        token_env = {
            'MSGRAPH_ACCESS_TOKEN': response.json()['access_token'],
            'AZURE_CLIENT_SECRET': None,
            # msal must not be imported when a token is given: a stand-in that fails on import.
            'PYTHONPATH': os.path.join(BENCH, 'msal_guard'),
        }
        return {'access_token': ({}, token_env), 'client_secret': ({}, {})}

    def targets(self, s):
        token, secret = s['access_token'], s['client_secret']
        return [
            ('msal imported only when a token must be acquired', token['ok'],
             'access_token runs pass with msal made unimportable; msal import alone takes %.0f ms'
             % (msal_import_seconds() * 1000)),
            ('report task time, access_token vs client secret', True,
             'task %.2f s vs %.2f s; round trips %s vs %s'
             % (token['task_median'], secret['task_median'], token['round_trips'], secret['round_trips'])),
        ]


class Hosts50(Scenario):
    name = 'hosts_50'
    title = 'play over 50 hosts'
    reference = 'lookup_in_vars'
    variants = (
        Variant('run_once_set_fact', 'hosts50_set_fact.yml', 'lookup in a run_once set_fact',
                inventory='hosts50.ini'),
        Variant('lookup_in_vars', 'hosts50_lookup_vars.yml', 'lookup in play vars, used in when + msg',
                inventory='hosts50.ini'),
    )

    def targets(self, s):
        once, per_host = s['run_once_set_fact'], s['lookup_in_vars']
        return [
            ('lookup per host: round trips <= 102 (one OpenID configuration, one token, 100 GETs)',
             _within(per_host['round_trips'], 102), '%s (%s)' % (per_host['round_trips'], per_host['breakdown'])),
            ('run_once + set_fact reads once for the play', _within(once['round_trips'], 3),
             '%s round trips vs %s; %.2f s vs %.2f s (x%.2f)' % (
                 once['round_trips'], per_host['round_trips'], once['wall_median'], per_host['wall_median'],
                 once['ratio'])),
        ]


class LoopLookup200(Scenario):
    name = 'loop_lookup_200'
    title = 'lookup inside a 200-item loop'
    reference = 'query_once'
    variants = (
        Variant('lookup_per_item', 'loop_lookup.yml', "lookup('msgraph.security.incident', item) in a loop"),
        Variant('query_once', 'loop_query_once.yml', 'query with all ids in one set_fact, then the loop'),
    )

    def prepare(self, emulator):
        return dict((v.name, ({'ids': IDS_200}, {})) for v in self.variants)

    def targets(self, s):
        per_item = s['lookup_per_item']
        return [
            ('per item: round trips <= %d (one OpenID configuration and token for the loop)' % (len(IDS_200) + 2),
             _within(per_item['round_trips'], len(IDS_200) + 2),
             '%s (%s); one query %s' % (per_item['round_trips'], per_item['breakdown'],
                                        s['query_once']['round_trips'])),
        ]


class UpdateOne(Scenario):
    name = 'update_one'
    title = 'update one incident, fresh play'
    reference = 'uri'
    writes = True
    variants = (
        Variant('collection', 'update_one_collection.yml', 'incident status=inProgress (GET, then PATCH of what differs)',
                app='writer-secret'),
        Variant('unchanged', 'update_one_collection.yml', 'incident status=active, already so (GET, no PATCH)',
                app='writer-secret'),
        Variant('uri', 'update_one_uri.yml', 'uri: token POST + blind PATCH', app='writer-secret'),
    )

    def prepare(self, emulator):
        return {'collection': ({'status': 'inProgress', 'expect_changed': True}, {}),
                'unchanged': ({'status': 'active', 'expect_changed': False}, {}),
                'uri': ({}, {})}

    def targets(self, s):
        col, same, ref = s['collection'], s['unchanged'], s['uri']
        return [
            ('round trips <= 4 (OpenID configuration, token, GET, PATCH)', _within(col['round_trips'], 4),
             '%s (%s)' % (col['round_trips'], col['breakdown'])),
            ('wall time <= 1.25x the baseline', col['ratio'] <= 1.25,
             '%.2f s vs %.2f s (x%.2f)' % (col['wall_median'], ref['wall_median'], col['ratio'])),
            ('an update that changes nothing sends no PATCH', same['patches'] == 0,
             '%s (%s); %.2f s (x%.2f)' % (same['round_trips'], same['breakdown'], same['wall_median'], same['ratio'])),
        ]


class Update100(Scenario):
    name = 'update_100'
    title = 'update 100 incidents, one task'
    reference = 'uri'
    writes = True
    variants = (
        Variant('module', 'update_ids_module.yml', 'incident incident_ids custom_tags ($batch GETs, then $batch PATCHes)',
                app='writer-secret'),
        Variant('uri', 'update_ids_uri.yml', 'uri: token POST + blind PATCH per id in a loop', app='writer-secret'),
    )

    def prepare(self, emulator):
        return dict((v.name, ({'ids': IDS}, {})) for v in self.variants)

    def targets(self, s):
        mod, ref = s['module'], s['uri']
        return [
            ('round trips <= 14', _within(mod['round_trips'], 14), '%s (%s); %d inner PATCH' % (
                mod['round_trips'], mod['breakdown'], mod['inner_patches'])),
            ('wall time <= 0.10x the baseline', mod['ratio'] <= 0.10,
             '%.2f s vs %.2f s (x%.3f)' % (mod['wall_median'], ref['wall_median'], mod['ratio'])),
        ]


class HuntingQuery(Scenario):
    name = 'hunting'
    title = 'one hunting query, fresh play'
    reference = 'uri'
    variants = (
        Variant('collection', 'hunting_collection.yml', 'hunting_query, credentials from AZURE_*', app='hunter-secret'),
        Variant('uri', 'hunting_uri.yml', 'uri: token POST + POST runHuntingQuery', app='hunter-secret'),
    )

    def targets(self, s):
        col = s['collection']
        return [('round trips <= 3 (OpenID configuration, token, POST)', _within(col['round_trips'], 3),
                 '%s (%s)' % (col['round_trips'], col['breakdown']))]


def _alerts_of(emulator, incident_ids):
    """The alerts of these incidents as the emulator holds them, in the incidents' order."""
    return [alert for incident_id in incident_ids for alert in emulator.incident(incident_id)['alerts']]


class Alerts100(Scenario):
    name = 'alerts_100'
    title = '100 alerts by id, one task'
    reference = 'uri'
    variants = (
        Variant('module', 'alerts_module.yml', 'alert_info alert_ids ($batch of 20)', app='alert-reader'),
        Variant('lookup', 'alerts_lookup.yml', "query('msgraph.security.alert', *ids) in set_fact", app='alert-reader'),
        Variant('uri', 'alerts_uri.yml', 'uri: token POST + GET per id in a loop', app='alert-reader'),
    )

    def prepare(self, emulator):
        ids = [alert['id'] for alert in _alerts_of(emulator, IDS)][:100]
        if len(ids) != 100:
            raise RuntimeError('incidents 1-100 of the emulator hold %d alerts, not 100 or more' % len(ids))
        return dict((v.name, ({'ids': ids}, {})) for v in self.variants)

    def targets(self, s):
        return [('%s: round trips <= 8 (OpenID configuration, token, 5 batches of 20)' % name,
                 _within(s[name]['round_trips'], 8), '%s (%s); %.2f s vs %.2f s (x%.3f)' % (
                     s[name]['round_trips'], s[name]['breakdown'], s[name]['wall_median'], s['uri']['wall_median'],
                     s[name]['ratio'])) for name in ('module', 'lookup')]


class IncidentAlerts100(Scenario):
    name = 'incident_alerts_100'
    title = 'the alerts and evidence of 100 incidents'
    reference = 'uri'
    variants = (
        Variant('module', 'incident_alerts_module.yml', 'incident_info incident_ids expand_alerts, then the evidence filter',
                app='alert-reader'),
        Variant('uri', 'incident_alerts_uri.yml', 'uri: token POST + GET ?$expand=alerts per incident',
                app='alert-reader'),
    )

    def prepare(self, emulator):
        alerts = _alerts_of(emulator, IDS)
        devices = sorted(set(evidence['mdeDeviceId'] for alert in alerts for evidence in alert['evidence']
                             if evidence['@odata.type'].endswith('.deviceEvidence') and evidence.get('mdeDeviceId')))
        facts = {'ids': IDS, 'alert_ids': [alert['id'] for alert in alerts], 'device_ids': devices}
        return dict((v.name, (facts, {})) for v in self.variants)

    def targets(self, s):
        mod = s['module']
        return [('round trips <= 10', _within(mod['round_trips'], 10), '%s (%s); %.2f s vs %.2f s (x%.3f)' % (
            mod['round_trips'], mod['breakdown'], mod['wall_median'], s['uri']['wall_median'], mod['ratio']))]


def _dns_names(alerts):
    return sorted(set(evidence['deviceDnsName'] for alert in alerts for evidence in alert['evidence']
                      if evidence['@odata.type'].endswith('.deviceEvidence')))


class InventoryIncidents(Scenario):
    name = 'inventory_incidents'
    title = 'inventory: the devices of 1,000 incidents'
    reference = 'plugin'
    variants = (
        Variant('plugin', 'inventory_hosts.yml', 'msgraph.security.devices, created_after (list with $expand=alerts)',
                inventory='incidents_1000.msgraph_devices.yml'),
    )

    def prepare(self, emulator):
        ids = emulator.incident_ids(LIST_FILTER)
        if len(ids) != LIST_SIZE:
            raise RuntimeError('the emulator selects %d incidents, not %d: start it with --incidents %d'
                               % (len(ids), LIST_SIZE, LIST_SIZE + 1))
        facts = {'expected_hosts': _dns_names(_alerts_of(emulator, ids))}
        return dict((v.name, (facts, {})) for v in self.variants)

    def targets(self, s):
        plugin, pages = s['plugin'], int(math.ceil(LIST_SIZE / float(PAGE_SIZE)))
        limit = 2 + 1 + int(math.ceil(LIST_SIZE / float(PAGE_SIZE) / 20))  # discovery, token, first page, batches
        detail = '%s (%s); %.2f s' % (plugin['round_trips'], plugin['breakdown'], plugin['wall_median'])
        return [('round trips <= %d (OpenID configuration, token, 1 + ceil(%d pages / 20 per $batch); the alerts come'
                 ' with the incidents, $expand=alerts)' % (limit, pages), _within(plugin['round_trips'], limit), detail)]


class InventoryMachines(Scenario):
    name = 'inventory_machines'
    title = 'inventory: a machine list of 10,000 devices'
    reference = 'plugin'
    variants = (
        Variant('plugin', 'inventory_hosts.yml', 'msgraph.security.devices source: machines ($top 10,000, $skip)',
                inventory='machines_10000.msgraph_devices.yml'),
    )
    total = 10000

    def prepare(self, emulator):
        evidence_devices = emulator.set_fleet(0)
        emulator.set_fleet(self.total - evidence_devices)
        names = _dns_names([alert for incident_id in emulator.incident_ids()
                            for alert in emulator.incident(incident_id)['alerts']])
        names += ['fleet-%05d.contoso.local' % n for n in range(self.total - evidence_devices)]
        return {'plugin': ({'expected_hosts': names}, {})}

    def targets(self, s):
        plugin = s['plugin']
        # A full page cannot tell whether more follow (Defender gives no count and no nextLink): one more page.
        detail = '%s (%s); %.2f s' % (plugin['round_trips'], plugin['breakdown'], plugin['wall_median'])
        return [('round trips <= 4 (OpenID configuration, token, the full page of 10,000, the empty page after it)',
                 _within(plugin['round_trips'], 4), detail)]


class Isolate10(Scenario):
    name = 'isolate_10'
    title = 'isolate 10 devices of an incident, wait included, fresh play'
    reference = 'collection'
    writes = True  # the machine actions are undone before each run
    variants = (
        Variant('collection', 'isolate_10.yml', 'incident_info (Graph), then device isolation=full on 10 machines, wait',
                app='responder-secret'),
    )

    def prepare(self, emulator):
        return {'collection': ({'device_ids': [m['id'] for m in emulator.machines()[:10]]}, {})}

    def targets(self, s):
        col = s['collection']
        detail = '%s (%s); %.2f s with the emulator\'s action life cycle (Pending 0.6 s, InProgress 0.6 s)' % (
            col['round_trips'], col['breakdown'], col['wall_median'])
        return [('at most 2 token requests (one per audience)', _within(col['tokens'], 2), '%s; %s' % (col['tokens'], detail)),
                ('one action request per device', col['posts'] == 10, '%s POSTs' % col['posts'])]


SCENARIOS = [OneIncident(), Ids100(), List1000(), TenTasks(), Startup(), Hosts50(), LoopLookup200(), UpdateOne(),
             Update100(), HuntingQuery(), Forks20(), Alerts100(), IncidentAlerts100(), InventoryIncidents(), InventoryMachines(),
             Isolate10()]
BY_NAME = dict((s.name, s) for s in SCENARIOS)

_MSAL_IMPORT = []


def msal_import_seconds(runs=3):
    """Median time a fresh interpreter takes to import msal (what access_token saves)."""
    if not _MSAL_IMPORT:
        code = 'import time; t = time.perf_counter(); import msal; print(time.perf_counter() - t)'
        times = sorted(float(subprocess.run([sys.executable, '-c', code], check=True, capture_output=True,
                                            text=True).stdout) for dummy in range(runs))
        _MSAL_IMPORT.append(times[len(times) // 2])
    return _MSAL_IMPORT[0]

"""How a machine's containment is read from its action history, and how actions are followed."""
from ansible_collections.msgraph.security.plugins.module_utils._resources import machine_actions as actions


def action(type_, status, created, scope=None, action_id=None):
    return dict(id=action_id or '%s-%s' % (type_, created), type=type_, scope=scope, status=status,
                creationDateTimeUtc='2026-12-02T08:00:%02d.0000000Z' % created)


def test_the_newest_succeeded_isolation_is_the_state_and_failed_ones_change_nothing():
    history = [action('Isolate', 'Succeeded', 1, 'Full'), action('Unisolate', 'Succeeded', 2),
               action('Isolate', 'Succeeded', 3, 'Selective'), action('Unisolate', 'Failed', 4)]
    assert actions.family_state(history, 'isolation') == ('isolated', 'Selective', None)
    assert actions.family_state(history, 'app_execution') == ('unrestricted', None, None)


def test_a_machine_never_acted_on_is_released_and_unrestricted():
    assert actions.family_state([], 'isolation') == ('released', None, None)
    assert actions.family_state([], 'app_execution') == ('unrestricted', None, None)


def test_a_pending_action_is_reported_beside_the_state():
    pending = action('Isolate', 'InProgress', 5, 'Full')
    history = [action('RestrictCodeExecution', 'Succeeded', 1), pending]
    assert actions.family_state(history, 'isolation') == ('released', None, pending)
    assert actions.family_state(history, 'app_execution') == ('restricted', None, None)


class FakeDefender:
    """Answers the machineactions list with the statuses scripted per look, and counts the looks."""

    def __init__(self, statuses):
        self.statuses, self.looks = statuses, []

    def get(self, path, params, permission=None):
        self.looks.append(params['$filter'])
        status = self.statuses[min(len(self.looks) - 1, len(self.statuses) - 1)]
        return {'value': [dict(id='a1', status=status)]}


def test_follow_reads_until_final_and_stops_at_the_timeout():
    slept = []
    now = [0.0]

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    defender = FakeDefender(['InProgress', 'Succeeded'])
    followed = {'a1': dict(id='a1', status='Pending')}
    actions.follow(defender, followed, 60, sleep=sleep, clock=lambda: now[0])
    assert followed['a1']['status'] == 'Succeeded' and len(defender.looks) == 2 and defender.looks[0] == "id eq 'a1'"
    stuck = FakeDefender(['Pending'])
    followed = {'a1': dict(id='a1', status='Pending')}
    now[0], slept[:] = 0.0, []
    actions.follow(stuck, followed, 7, sleep=sleep, clock=lambda: now[0])
    assert followed['a1']['status'] == 'Pending' and sum(slept) == 7


def test_words_say_what_an_action_does_and_did():
    isolate = actions.KINDS['Isolate']
    assert actions.words(isolate, 'Full') == 'isolate (full)'
    assert actions.words(isolate, 'Full', done=True) == 'isolated (full)'
    assert actions.words(actions.KINDS['Unisolate'], None, done=True) == 'released from isolation'

"""The control calls that make incidents change while the emulator runs, and its record of changes."""

import pytest


@pytest.fixture
def emu(clean_emulator):
    clean_emulator.reset()
    yield clean_emulator
    clean_emulator.reset()


def test_create_update_and_the_record_of_changes(emu):
    stamp = "2026-11-27T10:00:00.1234567Z"
    created = emu.create_incident({"severity": "low", "displayName": "made by a test"}, at=stamp)
    assert created["createdDateTime"] == created["lastUpdateDateTime"] == stamp
    assert emu.incident_ids(f"lastUpdateDateTime ge {stamp}")[0] == created["id"]
    updated = emu.update_incident(created["id"], {"status": "inProgress"})
    assert updated["status"] == "inProgress" and updated["lastUpdateDateTime"] > stamp
    burst = emu.create_incidents(3)
    assert [int(i["id"]) for i in burst] == [int(created["id"]) + n for n in (1, 2, 3)]
    assert emu.changes() == [
        {"id": created["id"], "change": "created", "lastUpdateDateTime": stamp},
        {"id": created["id"], "change": "updated", "lastUpdateDateTime": updated["lastUpdateDateTime"]},
    ] + [{"id": i["id"], "change": "created", "lastUpdateDateTime": i["lastUpdateDateTime"]} for i in burst]
    emu.reset()
    assert emu.changes() == [] and created["id"] not in emu.incident_ids()


def test_update_of_a_missing_incident_is_404(emu):
    with pytest.raises(Exception, match="404"):
        emu.update_incident("999999999", {"status": "active"})

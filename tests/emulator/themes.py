"""Attack stories the dataset generator draws incidents from.

Each theme is what an analyst would see for one kind of Defender incident:
incident titles, the alerts it correlates (title, MITRE category, which
Defender product raised it and by which detection), the evidence kinds those
alerts carry, and the beta-only recommendations.
"""

MDE = "microsoftDefenderForEndpoint"
MDO = "microsoftDefenderForOffice365"
MDI = "microsoftDefenderForIdentity"
MDCA = "microsoftDefenderForCloudApps"
AADIP = "azureAdIdentityProtection"

THEMES = [
    {
        "name": "ransomware",
        "titles": ["Ransomware activity on one endpoint",
                   "Human-operated ransomware attack on multiple endpoints"],
        "description": "Ransomware behavior was observed on {device}: files were encrypted and "
                       "volume shadow copies deleted shortly after a suspicious logon by {user}.",
        "alerts": [("Ransomware behavior detected in the file system", "Ransomware", MDE, MDE, "T1486"),
                   ("'LockBit' ransomware was detected", "Ransomware", MDE, "antivirus", "T1486"),
                   ("File backups were deleted", "Impact", MDE, MDE, "T1490")],
        "evidence": ["device", "file", "process"],
        "severities": ["high", "high", "medium"],
        "system_tags": ["Ransomware", "Attack Disruption"],
        "threat": ("Ransom:Win32/LockBit.MK!MTB", "LockBit"),
        "actions": "1. Isolate the affected devices. 2. Reset credentials of accounts used on them. "
                   "3. Restore encrypted files from offline backups.",
        "kql": "DeviceFileEvents | where FileName endswith '.lockbit' | summarize count() by DeviceId",
    },
    {
        "name": "phishing",
        "titles": ["Email reported by user as malware or phish involving one user",
                   "Phishing campaign involving multiple users"],
        "description": "A message from {sender} with a credential-harvesting link was delivered to "
                       "{user} and reported as phishing.",
        "alerts": [("Email reported by user as malware or phish", "InitialAccess", MDO, MDO, "T1566.002"),
                   ("Email messages containing malicious URL removed after delivery", "InitialAccess",
                    MDO, MDO, "T1566.002"),
                   ("A potentially malicious URL click was detected", "InitialAccess", MDO, MDO, "T1204.001")],
        "evidence": ["analyzedMessage", "url", "mailbox", "user"],
        "severities": ["informational", "low", "medium"],
        "system_tags": [],
        "threat": (None, None),
        "actions": "Soft-delete the message from all mailboxes and block the sender domain.",
        "kql": "EmailUrlInfo | join UrlClickEvents on Url | where ActionType == 'ClickAllowed'",
    },
    {
        "name": "credential-theft",
        "titles": ["Credential access incident on one endpoint",
                   "Multi-stage incident involving Credential access & Lateral movement on multiple endpoints"],
        "description": "Credential dumping from LSASS memory was detected on {device} under the "
                       "account of {user}.",
        "alerts": [("Mimikatz credential theft tool", "CredentialAccess", MDE, "antivirus", "T1003.001"),
                   ("Suspicious access to LSASS service", "CredentialAccess", MDE, MDE, "T1003.001"),
                   ("Suspected overpass-the-hash attack (Kerberos)", "LateralMovement", MDI, MDI, "T1550.002")],
        "evidence": ["device", "process", "user"],
        "severities": ["high", "medium"],
        "system_tags": [],
        "threat": ("HackTool:Win32/Mimikatz.D", "Mimikatz"),
        "actions": "Reset the password of every account that signed in to the device and revoke its sessions.",
        "kql": "DeviceEvents | where ActionType == 'OpenProcessApiCall' and FileName =~ 'lsass.exe'",
    },
    {
        "name": "risky-sign-in",
        "titles": ["Suspicious sign-in activity involving one user",
                   "Impossible travel activity involving one user"],
        "description": "{user} signed in from {ip} shortly after a sign-in from a distant location.",
        "alerts": [("Impossible travel activity", "InitialAccess", MDCA, MDCA, "T1078"),
                   ("Atypical travel", "InitialAccess", AADIP, AADIP, "T1078"),
                   ("Unfamiliar sign-in properties", "InitialAccess", AADIP, AADIP, "T1078")],
        "evidence": ["user", "ip"],
        "severities": ["low", "medium", "informational"],
        "system_tags": [],
        "threat": (None, None),
        "actions": "Confirm the sign-in with the user; if unknown, revoke sessions and require MFA re-registration.",
        "kql": "AADSignInEventsBeta | where AccountUpn =~ '{user}' | project Timestamp, IPAddress, Country",
    },
    {
        "name": "password-spray",
        "titles": ["Password spray attack involving multiple users"],
        "description": "Many failed sign-ins from {ip} against different accounts, followed by a "
                       "successful sign-in by {user}.",
        "alerts": [("Password spray", "CredentialAccess", AADIP, AADIP, "T1110.003"),
                   ("Suspected brute-force attack (Kerberos, NTLM)", "CredentialAccess", MDI, MDI, "T1110")],
        "evidence": ["ip", "user", "device"],
        "severities": ["medium", "high"],
        "system_tags": [],
        "threat": (None, None),
        "actions": "Block the source address and enforce MFA for the targeted accounts.",
        "kql": "IdentityLogonEvents | where ActionType == 'LogonFailed' | summarize dcount(AccountUpn) by IPAddress",
    },
    {
        "name": "usb-worm",
        "titles": ["Multi-stage incident involving Initial access & Command and control on multiple "
                   "endpoints reported by multiple sources"],
        "description": "Microsoft observed Raspberry Robin worm activity spreading through infected USB "
                       "drives, starting on {device}.",
        "alerts": [("Potential Raspberry Robin worm command", "Execution", MDE, MDE, "T1059.003"),
                   ("Suspicious process launched using cmd.exe", "Execution", MDE, MDE, "T1059.003"),
                   ("Connection to a custom network indicator", "CommandAndControl", MDE, "customTi", "T1071")],
        "evidence": ["device", "process", "url"],
        "severities": ["medium", "high"],
        "system_tags": ["Defender Experts"],
        "threat": ("Worm:Win32/Raspberryrobin.A", "RaspberryRobin"),
        "actions": "Block untrusted and unsigned processes that run from USB (ASR rule) and verify the "
                   "rule is enabled on all devices.",
        "kql": "AlertInfo | where Title == 'Potential Raspberry Robin worm command' "
               "| join AlertEvidence on AlertId | distinct DeviceId",
    },
    {
        "name": "bec",
        "titles": ["Business email compromise (BEC) financial fraud attack involving one user",
                   "Suspicious email forwarding activity involving one user"],
        "description": "{user} created an inbox rule that forwards invoices to an external address "
                       "after a sign-in from {ip}.",
        "alerts": [("Suspicious inbox manipulation rule", "DefenseEvasion", MDCA, MDCA, "T1564.008"),
                   ("Suspicious email forwarding activity", "Exfiltration", MDO, MDO, "T1114.003")],
        "evidence": ["mailbox", "user", "ip"],
        "severities": ["high", "medium"],
        "system_tags": ["BEC Fraud"],
        "threat": (None, None),
        "actions": "Remove the inbox rule, revoke the user's sessions and review sent items.",
        "kql": "CloudAppEvents | where ActionType == 'New-InboxRule' | where RawEventData has 'ForwardTo'",
    },
    {
        "name": "cobalt-strike",
        "titles": ["Execution & Command and control incident on one endpoint",
                   "Multi-stage incident involving Execution & Command and control on one endpoint"],
        "description": "An encoded PowerShell command on {device} loaded a Cobalt Strike beacon that "
                       "contacted {ip}.",
        "alerts": [("An active 'CobaltStrike' malware was detected", "CommandAndControl", MDE, "antivirus", "T1071.001"),
                   ("Suspicious PowerShell command line", "Execution", MDE, MDE, "T1059.001"),
                   ("Process injection detected", "DefenseEvasion", MDE, MDE, "T1055")],
        "evidence": ["device", "process", "file", "ip"],
        "severities": ["high"],
        "system_tags": [],
        "threat": ("Backdoor:Win64/CobaltStrike.NP!dha", "CobaltStrike"),
        "actions": "Isolate the device, collect an investigation package and hunt for the beacon's C2 address.",
        "kql": "DeviceNetworkEvents | where RemoteIP == '{ip}'",
    },
    {
        "name": "unwanted-software",
        "titles": ["Unwanted software incident on one endpoint", "Malware incident on one endpoint"],
        "description": "Potentially unwanted software was found on {device}.",
        "alerts": [("'CoinMiner' unwanted software was detected", "Malware", MDE, "antivirus", "T1496"),
                   ("'Presenoker' unwanted software was prevented", "Malware", MDE, "antivirus", "T1204.002")],
        "evidence": ["device", "file"],
        "severities": ["low", "informational", "low"],
        "system_tags": [],
        "threat": ("PUA:Win32/CoinMiner", "CoinMiner"),
        "actions": "Confirm the remediation completed and remove the software from the approved list.",
        "kql": "DeviceEvents | where ActionType == 'AntivirusDetection' | where DeviceName == '{device}'",
    },
    {
        "name": "exfiltration",
        "titles": ["Mass download by a single user involving one user",
                   "Data exfiltration incident involving one user"],
        "description": "{user} downloaded an unusual number of SharePoint files from {ip}.",
        "alerts": [("Mass download by a single user", "Exfiltration", MDCA, MDCA, "T1530"),
                   ("Unusual file download activity", "Exfiltration", MDCA, MDCA, "T1530")],
        "evidence": ["user", "ip"],
        "severities": ["medium", "low"],
        "system_tags": [],
        "threat": (None, None),
        "actions": "Review the downloaded files' sensitivity labels and suspend the user if unexpected.",
        "kql": "CloudAppEvents | where ActionType == 'FileDownloaded' | summarize count() by AccountId",
    },
    {
        "name": "security-testing",
        "titles": ["Persistence incident on one endpoint", "Discovery incident on one endpoint"],
        "description": "Scheduled-task persistence and discovery commands on {device}, matching the "
                       "red team's test plan.",
        "alerts": [("Suspicious Task Scheduler activity", "Persistence", MDE, MDE, "T1053.005"),
                   ("Anomalous account lookups", "Discovery", MDE, MDE, "T1087")],
        "evidence": ["device", "process"],
        "severities": ["informational", "low"],
        "system_tags": [],
        "threat": (None, None),
        "actions": "Confirm the activity with the red team schedule before closing.",
        "kql": "DeviceProcessEvents | where ProcessCommandLine has 'schtasks' and DeviceName == '{device}'",
    },
]

THEMES_BY_NAME = {t["name"]: t for t in THEMES}

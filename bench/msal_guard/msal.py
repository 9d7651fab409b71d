"""Put first on PYTHONPATH by bench/run.py for runs that pass access_token: importing msal there
fails the task, so a passing run proves the module never imported it."""
raise ImportError('bench: msal was imported although an access_token was given')

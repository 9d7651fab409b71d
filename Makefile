# Two commands set everything up on a machine with Python 3 and make:
#   make demo   - run the demo playbook against the local Graph + Entra ID emulator
#   make test   - the whole test suite (what CI runs)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv test unit integration demo emulator clean

$(STAMP): requirements.txt tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r tests/requirements.txt
	touch $@

venv: $(STAMP)

test: venv
	$(PY) -m pytest tests

unit: venv
	$(PY) -m pytest tests/unit tests/emulator

integration: venv
	$(PY) -m pytest tests/integration

demo: venv
	$(PY) demo/run.py

# Start the emulator in the foreground; it prints how to point the collection at it.
emulator: venv
	$(PY) -m tests.emulator

clean:
	rm -rf $(VENV) .emulator build .pytest_cache

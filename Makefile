# Two commands set everything up on a machine with Python 3 and make:
#   make demo      - run the demo playbook against the local Graph + Entra ID emulator
#   make test      - the whole test suite, then the quality gates (make check)
#   make check-all - the ansible-core version matrix (slower); CI runs make test, then make check-all
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The gate tools (ansible-lint, antsibull-*, galaxy-importer) live apart from the test venv:
# galaxy-importer pins versions the tests need newer of.
GATES := .venv-gates
GPY := $(GATES)/bin/python
GSTAMP := $(GATES)/.installed
TIMED := tests/gates/timed.sh

.PHONY: venv gates-venv test pytest unit integration demo bench emulator clean \
	check check-all sanity lint galaxy changelog changelog-release docs doc-fragments matrix

$(STAMP): requirements.txt tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r tests/requirements.txt
	touch $@

$(GSTAMP): requirements.txt tests/requirements-gates.txt
	$(PYTHON) -m venv $(GATES)
	$(GPY) -m pip install --quiet --upgrade pip
	$(GPY) -m pip install --quiet -r requirements.txt -r tests/requirements-gates.txt
	touch $@

venv: $(STAMP)

gates-venv: $(GSTAMP)

# The README's test command: pytest (emulator self-tests, then unit and integration), then every gate fast enough.
test: pytest
	@$(MAKE) --no-print-directory check

# The emulator's self-tests run apart, so the count pytest prints for tests/ is the collection's.
# -n auto: one xdist worker per core (each with its own emulator); every test passes alone and in any order.
pytest: venv
	@$(TIMED) emulator-self-tests $(PY) -m pytest tests/emulator_tests -n auto
	@$(TIMED) pytest $(PY) -m pytest tests -n auto

unit: venv
	$(PY) -m pytest tests/unit tests/emulator_tests

integration: venv
	$(PY) -m pytest tests/integration

demo: venv
	$(PY) demo/run.py

# The benchmark against the ansible.builtin.uri baseline (bench/run.py --help); not part of make test.
bench: venv
	$(PY) bench/run.py
	$(PY) bench/event_source.py

# Start the emulator in the foreground; it prints how to point the collection at it.
emulator: venv
	$(PY) -m tests.emulator

# ---- quality gates (README: "Quality gates") ----
# -k: every gate runs and reports, and check fails if one of them failed.
check:
	@$(MAKE) --no-print-directory -k sanity lint galaxy changelog docs

check-all: matrix

# ansible-test sanity over the collection, from a temporary ansible_collections/msgraph/security copy.
sanity: gates-venv
	@$(TIMED) sanity tests/gates/sanity.sh $(GPY)

# ansible-lint, production profile, zero violations (.ansible-lint).
lint: venv gates-venv
	@$(TIMED) ansible-lint tests/gates/lint.sh $(GPY) $(PY)

# Build, check the tarball, install it into a clean path, smoke playbook from the installed copy, galaxy-importer.
galaxy: venv gates-venv
	@$(TIMED) galaxy $(PY) tests/gates/galaxy.py --importer-python $(GPY)

# antsibull-changelog lint, CHANGELOG.md up to date, every plugin listed in its release.
changelog: gates-venv
	@$(TIMED) changelog $(GPY) tests/gates/changelog.py

# Fold changelogs/fragments into the release galaxy.yml names and rewrite CHANGELOG.md.
changelog-release: venv gates-venv
	ANSIBLE_COLLECTIONS_PATH="$$($(PY) -c 'from tests.dev_collection import ensure_link; print(ensure_link())')" \
	PATH="$(CURDIR)/$(GATES)/bin:$$PATH" $(GATES)/bin/antsibull-changelog release --reload-plugins

# ansible-doc renders every plugin and role from the installed artifact; antsibull-docs lint-collection-docs.
docs: gates-venv
	@$(TIMED) docs $(GPY) tests/gates/docs.py

# Rewrite plugins/doc_fragments/*.py and the event source's DOCUMENTATION options from the option tables.
doc-fragments: venv
	$(PY) tests/gates/doc_fragments.py
	$(PY) tests/gates/event_source_doc.py

# The whole pytest suite on ansible-core 2.16 (Python 3.11) and 2.21 (Python 3.13); make test covers 2.19. See noxfile.py.
matrix: venv
	@$(TIMED) matrix $(VENV)/bin/nox

clean:
	rm -rf $(VENV) $(GATES) .nox .emulator build .pytest_cache

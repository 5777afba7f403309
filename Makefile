# Two commands: `make run` serves the app, `make test` runs every test. Both set up what they need.
# `make mutants` switches each SECURITY.md defence off in turn (docs/security.md); CI runs it too.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 5000
FLASK  := $(BIN)/flask --app wsgi
DEV    := FEEDBACK360_ENV=development
# Emailed links and the demo login point at wherever `make run` serves.
export BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test mutants test-sqlite test-postgres lint system-deps screenshots clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# compat mode puts the checkout itself on the path, so new subpackages need no reinstall.
	$(BIN)/pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $@

# WeasyPrint subsets fonts natively only with libharfbuzz-subset0; without it, PDFs render
# about twice as slowly. Install it when we can, say so when we cannot.
system-deps:
	@bash scripts/system-deps.sh

run: $(STAMP) system-deps
	$(DEV) $(FLASK) db upgrade
	@$(DEV) $(FLASK) demo --quiet || echo "make run: the demo account could not be made (the reason is above); the app starts without it."
	@bash scripts/serve-dev.sh "$(PORT)"

test: $(STAMP) system-deps
	@bash scripts/test.sh

# Fails on any mutant that survives or no longer applies. Several minutes: not part of `make test`.
mutants: $(STAMP) system-deps
	$(BIN)/python tests/security/check_mutants.py

lint: $(STAMP)
	$(BIN)/ruff check feedback360 tests bench
	$(BIN)/bandit -q -r feedback360 -c pyproject.toml

screenshots: $(STAMP)
	SCREENSHOTS=1 $(BIN)/pytest tests/e2e -q

clean:
	rm -rf $(VENV) .pytest_cache

# Two commands matter: `make demo` and `make test`. Everything else is what they need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup lint airflow warehouse-stop clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock or the project metadata changed: a second run is a no-op. Bytecode is compiled
# at install: every process (each Airflow task, dbt, the CLI) then skips compiling Airflow, GX and dbt (~4 s).
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	@start=$$(date +%s); \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "$$(grep -m1 -o '^uv==[0-9.]*' requirements.lock)" && \
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python requirements.lock && \
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . && \
	echo "environment installed in $$(( $$(date +%s) - start ))s"
	@touch $@

setup: $(STAMP)

demo: setup
	$(BIN)/cadre demo

# pytest exits 5 when it collects no test: that is not a failure of the suite itself.
test: setup
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; rc=0; fi; exit $$rc

# The Airflow UI (api-server, scheduler, dag-processor, triggerer) on http://127.0.0.1:8080, against the same
# warehouse as `make demo`. Log in as admin; the password is in .local/airflow/simple_auth_manager_passwords.json.generated
airflow: setup
	$(BIN)/cadre airflow standalone

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

warehouse-stop: setup
	$(BIN)/cadre warehouse stop

clean:
	-$(BIN)/cadre warehouse stop 2>/dev/null
	rm -rf .local $(VENV)

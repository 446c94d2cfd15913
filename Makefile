# Two commands a newcomer needs: `make demo` and `make test`. Both set up .venv first (tools/setup_env.sh).
# `make test-fast`: the suite without the tests marked slow (setup.cfg [tool:pytest] markers); CI runs `make test`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup test test-fast demo clean

setup:
	@bash tools/setup_env.sh

test: setup
	$(PYTHON) -m pytest tests $(PYTEST_ARGS)

test-fast: setup
	$(PYTHON) -m pytest tests -m "not slow" $(PYTEST_ARGS)

demo: setup
	$(PYTHON) tools/demo.py --out demo_outputs

clean:
	rm -rf demo_outputs work_dirs .pytest_cache

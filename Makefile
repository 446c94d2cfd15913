# Two commands a newcomer needs: `make demo` and `make test`. Both set up .venv first (tools/setup_env.sh).
# `make test-fast`: the suite without the tests marked slow (setup.cfg [tool:pytest] markers); CI runs `make test`.
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PYTEST_ARGS ?= --durations=30
# Test processes (pytest-xdist). A worker takes a whole test file at a time (--dist loadfile), so a module's
# fixtures are built once; many tests wait on subprocesses, imports and disk, so 2 workers pay on 2 cores.
# PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= 2
XDIST := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

.PHONY: setup test test-fast demo clean

setup:
	@bash tools/setup_env.sh

test: setup
	$(PYTHON) -m pytest tests $(XDIST) $(PYTEST_ARGS)

test-fast: setup
	$(PYTHON) -m pytest tests -m "not slow" $(XDIST) $(PYTEST_ARGS)

demo: setup
	$(PYTHON) tools/demo.py --out demo_outputs

clean:
	rm -rf demo_outputs work_dirs .pytest_cache

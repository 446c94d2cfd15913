# Two commands a newcomer needs: `make demo` and `make test`. Both set up .venv first (tools/setup_env.sh).
VENV ?= .venv
PYTHON := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: setup test demo clean

setup:
	@bash tools/setup_env.sh

test: setup
	$(PYTHON) -m pytest tests $(PYTEST_ARGS)

demo: setup
	$(PYTHON) tools/demo.py --out demo_outputs

clean:
	rm -rf demo_outputs work_dirs .pytest_cache

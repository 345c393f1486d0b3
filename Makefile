# The two commands of the README.  Both create ./.venv on first use.
#   make demo  — run the main job: fetch → extract → draft → report (offline on the bundled example
#                when NCBI is unreachable)
#   make test  — run the test suite
PYTHON ?= python3
VENV   ?= .venv

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	# biocommons hgvs's parser for the HGVS-validity test, without its database dependencies
	$(VENV)/bin/python -m pip install --quiet --no-deps 'hgvs==1.5.7'
	touch $@

.PHONY: demo test
demo: $(VENV)/.installed
	$(VENV)/bin/genelit demo

test: $(VENV)/.installed
	$(VENV)/bin/python -m pytest

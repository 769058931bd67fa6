# Two entry points do all set-up on a fresh Debian machine:
#   make run   — create .venv if missing, install, ingest data/raw into data/parsed, print a summary
#   make test  — same set-up, then run the test suite
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-stamp
RAW     ?= data/raw
PARSED  ?= data/parsed

.PHONY: run test test-floors bench setup clean distclean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v python3 >/dev/null || { echo "python3 is required (apt-get install python3)"; exit 2; }
	@python3 -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "installing python3-venv (Debian)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv; }
	@{ tesseract --list-langs 2>&1 | grep -qx tha \
	   && [ -f /usr/share/fonts/truetype/tlwg/Laksaman.ttf ] \
	   && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; } || { \
	  echo "installing tesseract-ocr with its Thai model, and Thai fonts for the PDF tests (Debian)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    tesseract-ocr tesseract-ocr-tha fonts-tlwg-laksaman-ttf fonts-dejavu-core; }
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/ita-extract ingest $(RAW) -o $(PARSED)

test: $(STAMP)
	$(VENV)/bin/pytest

# The suite on the lowest dependency versions pyproject.toml allows (a venv in /tmp).
test-floors:
	.ci/floors

bench: $(STAMP)
	$(PY) benchmarks/bench_extract.py
	$(PY) benchmarks/bench_nightly.py

# The whole dataset goes (tables, versions, manifest, run records): a dataset with its
# manifest but not its tables would skip every file on the next `make run`.
clean:
	rm -rf $(PARSED) build dist *.egg-info .pytest_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

# The two commands of the README:
#   make run   - set up and run the pipeline on the bundled sample (data/raw -> data/clean)
#   make test  - set up and run the linter, the type checker (mypy) and the test suite
PYTHON ?= python3
VENV := .venv
export PYTHAINLP_OFFLINE := 1

.PHONY: setup system-deps run test bench clean fixtures

# Debian packages, installed when missing and we may (root, or passwordless sudo); otherwise
# a note is printed and the files that need them get a clear error row naming the package:
# - Tesseract with Thai, and its orientation model (OSD), for scanned pages and photos (OCR);
# - a Thai TrueType font and fontconfig for the tests that draw Thai PDFs (fc-list :lang=th);
# - LibreOffice without its GUI converts .doc .rtf .odt .wpd (Writer) and .xls .ods (Calc);
# - Chromium, in which the tests open report.html.
APT_PACKAGES := tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng tesseract-ocr-osd \
	fonts-thai-tlwg-ttf fontconfig libreoffice-writer-nogui libreoffice-calc-nogui chromium

setup: system-deps $(VENV)/.installed

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	elif sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "note: install the Debian packages:" $$missing; fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

run: setup
	$(VENV)/bin/prongsai run data/raw --out data/clean --report

test: setup
	$(VENV)/bin/ruff check prongsai tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

# Regenerate the committed plan-structure fixtures (tests/fixtures/real_patterns); needs a
# Thai TrueType font (the tests themselves use the committed files and need no font).
FIXTURE_FONT_PACKAGES := fonts-tlwg-laksaman-ttf

fixtures: setup
	@if [ ! -f /usr/share/fonts/truetype/tlwg/Laksaman.ttf ] && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(FIXTURE_FONT_PACKAGES) >/dev/null; fi
	$(VENV)/bin/python tests/fixtures/make_real_patterns.py
	$(VENV)/bin/python tests/fixtures/make_awkward_grid.py

clean:
	rm -rf $(VENV) data/clean/*.csv data/clean/*.parquet

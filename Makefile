# The two commands of the README:
#   make run   - set up and run the pipeline on the bundled sample (data/raw -> data/clean)
#   make test  - set up and run the linter and the test suite
PYTHON ?= python3
VENV := .venv
export PYTHAINLP_OFFLINE := 1

.PHONY: setup system-deps run test bench clean

# Debian packages: Tesseract with Thai for scanned pages (OCR); Chromium for the browser
# test of report.html (tests/test_report.py). Installed when missing and we may (root, or
# passwordless sudo); otherwise a note is printed and scanned pages get a clear
# OCR_UNAVAILABLE error row instead of text (the browser test skips, except under CI=true).
APT_PACKAGES := tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng chromium

setup: system-deps $(VENV)/.installed

system-deps:
	@if tesseract --list-langs 2>/dev/null | grep -qx tha && [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	elif sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	else echo "note: install the Debian packages '$(APT_PACKAGES)' for OCR of scanned PDFs and the browser test of the report"; fi

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

run: setup
	$(VENV)/bin/prongsai run data/raw --out data/clean

test: setup
	$(VENV)/bin/ruff check prongsai tests bench
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) data/clean/*.csv data/clean/*.parquet

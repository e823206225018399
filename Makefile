# The two commands of the README:
#   make run   - set up and run the pipeline on the bundled sample (data/raw -> data/clean)
#   make test  - set up and run the linter and the test suite
PYTHON ?= python3
VENV := .venv
export PYTHAINLP_OFFLINE := 1

.PHONY: setup system-deps run test bench clean

# Debian packages: Tesseract with Thai for scanned pages (OCR), LibreOffice (below). Installed when missing
# and we may (root, or passwordless sudo); otherwise a note is printed and scanned
# pages get a clear OCR_UNAVAILABLE error row instead of text.
APT_PACKAGES := tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng
# LibreOffice without its GUI converts .doc .rtf .odt .wpd (Writer) and .xls .ods (Calc);
# without it those files get a clear UNSUPPORTED_FORMAT error row naming the package.
LO_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui

setup: system-deps $(VENV)/.installed

system-deps:
	@if tesseract --list-langs 2>/dev/null | grep -qx tha; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	elif sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PACKAGES) >/dev/null; \
	else echo "note: install the Debian packages '$(APT_PACKAGES)' for OCR of scanned PDFs"; fi
	@if [ "$$(dpkg-query -W -f='$${Status}\n' $(LO_PACKAGES) 2>/dev/null | grep -c 'install ok installed')" = 2 ] \
	  || { ! command -v dpkg-query >/dev/null && command -v soffice >/dev/null; }; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(LO_PACKAGES) >/dev/null; \
	elif sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(LO_PACKAGES) >/dev/null; \
	else echo "note: install the Debian packages '$(LO_PACKAGES)' to read .doc .rtf .odt .xls .ods files"; fi

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

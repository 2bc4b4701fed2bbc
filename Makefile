# The README's two commands: `make site` builds the website, `make test` runs every test.
# Both install what they need first (scripts/setup.sh), so they work on a fresh machine.
PYTHON ?= python3
export PYTHON

.PHONY: site test linkcheck notebooks serve clean

site:
	bash scripts/setup.sh site
	jupyter-book build . -W -n --keep-going

test:
	bash scripts/setup.sh test
	$(PYTHON) -m pytest

# External links (references, Colab): needs the internet, so it is not part of `make test`.
# Regenerate the Colab notebooks after editing a lecture page (tests fail on stale notebooks).
notebooks:
	bash scripts/setup.sh test
	$(PYTHON) scripts/make_notebooks.py

linkcheck:
	bash scripts/setup.sh site
	jupyter-book build . --builder linkcheck

serve:
	$(PYTHON) -m http.server --directory _build/html 8000

clean:
	rm -rf _build

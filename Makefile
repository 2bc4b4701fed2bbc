# The README's two commands: `make site` builds the website, `make test` runs every test.
# Both install what they need first (scripts/setup.sh), so they work on a fresh machine.
PYTHON ?= python3
export PYTHON

.PHONY: site test linkcheck notebooks bench serve clean

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

# Speed and accuracy against the seed's odeint loop and NEURON (benchmarks/README.md); ~10 min.
bench:
	bash scripts/setup.sh test
	$(PYTHON) -m pip install -q -r benchmarks/requirements.txt
	$(PYTHON) benchmarks/bench_fi.py
	$(PYTHON) benchmarks/bench_accuracy.py

linkcheck:
	bash scripts/setup.sh site
	jupyter-book build . --builder linkcheck

serve:
	$(PYTHON) -m http.server --directory _build/html 8000

clean:
	rm -rf _build

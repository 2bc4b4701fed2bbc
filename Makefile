# The README's commands: `make site` builds the website, `make test` runs every test.
# Each installs what it needs first (scripts/setup.sh), so it works on a fresh machine.
PYTHON ?= python3
export PYTHON

# Parallel test workers (pytest-xdist): one per core by default; loadgroup keeps the tests that
# share a browser visit of the pages in one worker (xdist_group, tests/conftest.py). xdist would
# otherwise hand out the largest groups first, which all wait for the book build; without that
# reordering the run follows tests/conftest.py's order (the library's tests while the book builds).
WORKERS ?= auto
XDIST = -n $(WORKERS) --dist loadgroup --no-loadscope-reorder

.PHONY: site test test-lib check linkcheck notebooks publish-notebooks lecture bench bench-ci bench-suite serve clean

# The strict build. When _build/html already is the strict build of exactly these sources (the
# tests' build: `make test` builds the book once and checks it), it is not built again, so CI
# publishes the site the tests checked (scripts/site_stamp.py); any edit means a new build.
site:
	bash scripts/setup.sh site
	@if $(PYTHON) scripts/site_stamp.py check; then \
	  echo "make site: _build/html is the strict build of these sources already (scripts/site_stamp.py)"; \
	else \
	  $(PYTHON) scripts/site_stamp.py forget && \
	  jupyter-book build . -W -n --keep-going && \
	  $(PYTHON) scripts/site_stamp.py write; \
	fi

# Every test, in parallel workers that share one build of the book (tests/conftest.py).
test:
	bash scripts/setup.sh test
	$(PYTHON) -m pytest $(XDIST)

# The author's quick loop: build the book incrementally (the page re-read, only changed pages
# executed) and run the tests of one page and its notebooks (tests/conftest.py, CHECK_PAGE).
#   make check PAGE=book/weeks/week5/day1-hodgkin-huxley.md
check:
	@test -n "$(PAGE)" || { echo "usage: make check PAGE=book/weeks/week5/day1-hodgkin-huxley.md" >&2; exit 2; }
	@test -f "$(PAGE)" || { echo "make check: no page $(PAGE)" >&2; exit 2; }
	bash scripts/setup.sh test
	CHECK_PAGE="$(PAGE)" $(PYTHON) -m pytest $(XDIST) tests/site tests/tooling

# The library's own tests (unit + numerics against references), without the site: about 40 s on
# two cores (two pytest workers). `make test` runs them too, with everything else.
test-lib:
	bash scripts/setup.sh test
	$(PYTHON) -m pytest -m "unit or numerics" -n 2

# The Colab notebooks of every lecture page, into _build/notebooks/ (the tree of the `notebooks`
# branch). CI publishes them on every push to main; locally this is a preview. They need the built
# site: the numbers a page glues into its prose come from its executed notebook.
notebooks: site
	$(PYTHON) -m scripts.nbgen

# CI only (the site workflow, after the tests): regenerate and commit the notebooks to the
# `notebooks` branch when they changed, then push it (scripts/publish_notebooks.py).
publish-notebooks: site
	$(PYTHON) scripts/publish_notebooks.py

# A new lecture page from the template, added to _toc.yml:
#   make lecture NAME=week6/day1-cable-theory [TITLE="W6D1 - Cable Theory"]
lecture:
	@test -n "$(NAME)" || { echo "usage: make lecture NAME=week6/day1-cable-theory [TITLE=...]" >&2; exit 2; }
	$(PYTHON) -m scripts.nbgen.lecture "$(NAME)" --title "$(TITLE)"

# Speed and accuracy against the seed's odeint loop and NEURON (benchmarks/README.md); ~10 min.
bench:
	bash scripts/setup.sh test
	$(PYTHON) -m pip install -q -r benchmarks/requirements.txt
	$(PYTHON) benchmarks/bench_fi.py
	$(PYTHON) benchmarks/bench_accuracy.py

# What each added lecture costs the cold build and the test suite (benchmarks/README.md); ~1 h.
bench-ci:
	bash scripts/setup.sh test
	$(PYTHON) benchmarks/bench_ci.py

# Where the suite's time goes: a fresh copy, the suite cold then warm, CPU by kind of process and by
# test (Chromium included), against what the cores give in 3 minutes (benchmarks/README.md); ~10 min.
bench-suite:
	bash scripts/setup.sh test
	$(PYTHON) benchmarks/bench_suite.py

# External links (references, Colab): needs the internet, so it is not part of `make test`.
linkcheck:
	bash scripts/setup.sh site
	jupyter-book build . --builder linkcheck

serve:
	$(PYTHON) -m http.server --directory _build/html 8000

clean:
	rm -rf _build

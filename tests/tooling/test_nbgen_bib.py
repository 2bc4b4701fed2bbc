"""Citations in the notebooks: {cite} roles as readable text, {bibliography} as a Markdown list of
the entries the page cites (read from the .bib with pybtex), and bad citations failing with page:line.
The expected texts are written out by hand here, not produced by the code under test."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from scripts import nbgen
from scripts.nbgen import GeneratorError

ROOT = Path(__file__).resolve().parents[2]
PAGE = "book/weeks/w9/cites.md"

BIB = r"""
@article{hh1952,
  author  = {Hodgkin, A. L. and Huxley, A. F.},
  title   = {A quantitative description of membrane current},
  journal = {The Journal of Physiology}, year = {1952}, volume = {117}, number = {4}, pages = {500--544},
  doi     = {10.1113/jphysiol.1952.sp004764}
}
@article{ttx1964,
  author  = {Narahashi, T. and Moore, J. W. and Scott, W. R.},
  title   = {Tetrodotoxin blockage in giant axons of \textit{Homarus}},
  journal = {The Journal of General Physiology}, year = {1964}, volume = {47}, number = {5}, pages = {965--974},
  doi     = {10.1085/jgp.47.5.965}
}
@book{dayan2001,
  author = {Dayan, P. and Abbott, L. F.}, title = {Theoretical Neuroscience}, publisher = {MIT Press}, year = {2001}
}
@book{uncited,
  author = {Nobody, N.}, title = {Never Cited}, publisher = {Nowhere}, year = {1999}
}
"""

PAGE_TEXT = """---
title: "W9D8 - 인용"
notebook: W9D8_Cites
---

# W9D8: 인용

{cite:t}`x-hh1952`는 모델을 세웠고, TTX는 나중에 알려졌습니다 {cite:p}`x-ttx1964,x-hh1952`.
교과서 {cite}`x-dayan2001`도 보세요.

## 참고 문헌

```{bibliography}
:filter: docname in docnames
:keyprefix: x-
```
"""


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "_config.yml").write_text(
        "repository:\n  url: https://github.com/someone/course\n  branch: main\n  path_to_book: ''\n"
        "bibtex_bibfiles:\n  - book/refs.bib\n", encoding="utf-8")
    (tmp_path / "book" / "weeks" / "w9").mkdir(parents=True)
    (tmp_path / "book" / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / PAGE).write_text(PAGE_TEXT, encoding="utf-8")
    return tmp_path


def _markdown(root: Path) -> str:
    files = nbgen.generate(root, root / "out", render=False)
    nb = nbformat.reads(files["W9D8_Cites.ipynb"], as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_citations_become_readable_text(repo):
    md = _markdown(repo)
    assert "Hodgkin & Huxley (1952)는 모델을 세웠고" in md
    assert "알려졌습니다 (Narahashi et al. 1964; Hodgkin & Huxley 1952)." in md
    assert "교과서 (Dayan & Abbott 2001)도" in md
    assert "{cite" not in md and "x-hh1952" not in md


def test_bibliography_lists_the_cited_entries_with_doi_links(repo):
    md = _markdown(repo)
    expected = (
        "- Dayan, P., & Abbott, L. F. (2001). *Theoretical Neuroscience*. MIT Press.\n"
        "- Hodgkin, A. L., & Huxley, A. F. (1952). A quantitative description of membrane current. "
        "*The Journal of Physiology*, 117(4), 500–544. "
        "[doi:10.1113/jphysiol.1952.sp004764](https://doi.org/10.1113/jphysiol.1952.sp004764)\n"
        "- Narahashi, T., Moore, J. W., & Scott, W. R. (1964). Tetrodotoxin blockage in giant axons of *Homarus*. "
        "*The Journal of General Physiology*, 47(5), 965–974. [doi:10.1085/jgp.47.5.965](https://doi.org/10.1085/jgp.47.5.965)")
    assert expected in md, md
    assert "Never Cited" not in md and "{bibliography}" not in md


@pytest.mark.parametrize("old, new, needle, message", [
    # a role's error names the line where its paragraph starts
    ("{cite}`x-dayan2001`", "{cite}`x-dayan2002`", "{cite:t}`x-hh1952`", r"key 'x-dayan2002': not in the bibliography"),
    ("{cite}`x-dayan2001`", "{cite}`dayan2001`", "{cite:t}`x-hh1952`", r"key 'dayan2001': not in the bibliography"),
    ("{cite}`x-dayan2001`", "{cite:ps}`x-dayan2001`", "{cite:t}`x-hh1952`", r"role \{cite:ps\} is not supported"),
    (":filter: docname in docnames\n", "", "{bibliography}", r"needs ':filter: docname in docnames'"),
])
def test_bad_citations_fail_naming_page_and_line(repo, old, new, needle, message):
    page = repo / PAGE
    text = page.read_text(encoding="utf-8").replace(old, new, 1)
    page.write_text(text, encoding="utf-8")
    line = next(i for i, l in enumerate(text.split("\n"), 1) if needle in l)
    with pytest.raises(GeneratorError, match=message) as info:
        nbgen.generate(repo, repo / "out", render=False)
    assert str(info.value).startswith(f"{PAGE}:{line}:"), str(info.value)


def test_a_bibliography_before_any_citation_fails(repo):
    text = (repo / PAGE).read_text(encoding="utf-8")
    (repo / PAGE).write_text(text.replace("# W9D8: 인용\n", "# W9D8: 인용\n\n```{bibliography}\n:filter: docname in docnames\n"
                                          ":keyprefix: x-\n```\n", 1), encoding="utf-8")
    with pytest.raises(GeneratorError, match="before any citation"):
        nbgen.generate(repo, repo / "out", render=False)


# The DOIs of the course's .bib, as checked by hand against the publishers' records (see the report of
# issue 15 §5); entries without a verified DOI must have none.
VERIFIED_DOIS = {
    "hodgkin1952quantitative": "10.1113/jphysiol.1952.sp004764",
    "hodgkin1952currents": "10.1113/jphysiol.1952.sp004717",
    "hodgkin1952measurement": "10.1113/jphysiol.1952.sp004716",
    "narahashi1964": "10.1085/jgp.47.5.965",
    "izhikevich2007": "10.7551/mitpress/2526.001.0001",
    "gerstner2014": "10.1017/CBO9781107447615",
    "fitzhugh1961": "10.1016/S0006-3495(61)86902-6",
    "nagumo1962": "10.1109/JRPROC.1962.288235",
    "izhikevich2003": "10.1109/TNN.2003.820440",
    # issue 23: the PubMed record of J Physiol 213(1):21-30 and the Springer page of Bull Math Biol 57(6):899-929
    "connor1971": "10.1113/jphysiol.1971.sp009365",
    "rush1995": "10.1007/BF02458299",
}


def test_course_bibliography_has_only_verified_dois():
    from pybtex.database import parse_file

    entries = parse_file(str(ROOT / "book" / "references.bib")).entries
    dois = {k: e.fields["doi"] for k, e in entries.items() if "doi" in e.fields}
    assert dois == VERIFIED_DOIS


def test_real_w5d1_notebook_lists_hh1952_with_its_doi(generated):
    nb = nbformat.read(generated / "W5D1_HodgkinHuxley.ipynb", as_version=4)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert ("- Hodgkin, A. L., & Huxley, A. F. (1952). A quantitative description of membrane current and its "
            "application to conduction and excitation in nerve. *The Journal of Physiology*, 117(4), 500–544. "
            "[doi:10.1113/jphysiol.1952.sp004764](https://doi.org/10.1113/jphysiol.1952.sp004764)") in md
    assert "Hodgkin & Huxley (1952)의 그림 1" in md
    assert "{cite" not in md and "w5d1-" not in md

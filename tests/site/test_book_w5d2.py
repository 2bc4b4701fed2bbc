"""The W5D2 lecture page ("Simplified Neuron Models") as a reader gets it.

Reuses the session's strict build (fixture ``built_book`` from ``book_build.py``) and reads
``_build/html``. Run only these: ``python -m pytest tests/test_book_w5d2.py``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest

from book_build import HTML, drawn_fraction, main_content, normalize, soup

pytestmark = pytest.mark.book

WEEK5 = HTML / "book" / "weeks" / "week5"
W5D2_HTML = WEEK5 / "day2-neuron-models.html"
W5D1_HTML = WEEK5 / "day1-hodgkin-huxley.html"
LIF_HTML = HTML / "book" / "concepts" / "lif-model.html"

HEADINGS = [
    "W5D2: Simplified Neuron Models",
    "📋 Overview",
    "🎯 Learning Objectives",
    "1. 왜 단순화하는가?",
    "1.1 계산 비용",
    "1.2 분석 가능성",
    "2. LIF 모델",
    "2.1 방정식",
    "2.2 F-I 곡선과 불응기",
    "3. HH 모델을 2차원으로 줄이기",
    "3.1 빠른 변수 m을 순간값 m∞(V)로",
    "3.2 h + n ≈ 일정",
    "3.3 축소 모델과 원래 모델 비교",
    "3.4 축소 모델의 위상 평면",
    "3.5 FitzHugh-Nagumo 모델",
    "4. Izhikevich 모델",
    "4.1 방정식",
    "4.2 발화 패턴",
    "5. 모델 비교: F-I 곡선과 계산 비용",
    "5.1 F-I 곡선",
    "5.2 계산 비용",
    "5.3 요약",
    "6. 제1형 대 제2형: A-전류와 Connor-Stevens 모델",
    "6.1 모델",
    "6.2 두 F-I 곡선",
    "6.3 발화 시작 근처: 길게 머무는 막전위",
    "6.4 무릎: 휴지 상태가 사라지는 곳",
    "6.5 A-전류를 막으면: 제2형 쪽으로",
    "📝 실습 문제",
    "문제 1: LIF 불응기와 최대 발화율",
    "문제 2: FitzHugh-Nagumo 모델의 Hopf 분기 찾기",
    "문제 3: Izhikevich 모델로 버스트 만들기",
    "문제 4: A-전류를 얼마나 막아야 제2형이 되는가",
    "🔗 관련 개념",
    "📚 참고 자료",
    "⬅️ Previous",
]

#: Figures produced by executed cells outside the solutions, in page order.
FIGURES = [
    "LIF traces",
    "LIF F-I (simulated vs closed form)",
    "h-n relation",
    "full vs reduced V(t)",
    "reduced phase planes",
    "FitzHugh-Nagumo phase planes",
    "Izhikevich patterns",
    "F-I comparison",
    "cost comparison",
    "Connor-Stevens vs HH F-I (type I / type II)",
    "Connor-Stevens trace near onset (V and I_A)",
    "steady-state I-V curves with the A-current blocked",
    "F-I with the A-current half blocked",
]

# The page's bibliography (sphinxcontrib-bibtex, plain style: "R. FitzHugh. Title. Journal, ...").
REFERENCES = ["Neuronal Dynamics", "R. FitzHugh. Impulses and physiological states", "J. Nagumo",
              "J. Rinzel. Excitation dynamics", "E. M. Izhikevich. Simple model of spiking neurons",
              "IEEE Transactions on Neural Networks", "E. M. Izhikevich. Dynamical Systems in Neuroscience"]

COLAB_NOTEBOOK = (
    "https://colab.research.google.com/github/yujinmin2/yujin_research/blob/notebooks/W5D2_NeuronModels.ipynb"
)


@pytest.fixture(scope="module")
def page(built_book):  # noqa: F811
    assert W5D2_HTML.is_file(), f"W5D2 was not built\n{built_book.log[-5000:]}"
    return soup(W5D2_HTML)


@pytest.fixture(scope="module")
def content(page):
    return main_content(page)


def _headings(content) -> list[str]:
    out = []
    for h in content.find_all(re.compile(r"^h[1-6]$")):
        for link in h.select("a.headerlink"):
            link.decompose()
        out.append(normalize(h.get_text()))
    return out


def _hrefs(page) -> list[str]:
    return [a["href"] for a in page.find_all("a", href=True)]


def _resolves(base, href) -> bool:
    return (base.parent / unquote(urlsplit(href).path)).resolve().is_file()


def test_page_is_korean(page):
    assert page.html.get("lang") == "ko"
    text = normalize(main_content(page).get_text())
    assert len(re.findall("[가-힣]", text)) > 3000


def test_headings_in_order(content):
    headings = [h.replace(" ", "") for h in _headings(content)]
    positions = []
    for expected in HEADINGS:
        key = expected.replace(" ", "")
        assert key in headings, f"missing heading {expected!r}; page has {headings}"
        positions.append(headings.index(key))
    assert positions == sorted(positions), "headings are out of order"


def test_mermaid_diagrams(content):
    blocks = content.select(".mermaid")
    assert len(blocks) >= 2
    overview = blocks[0].get_text()
    for node in ("Hodgkin-Huxley", "FitzHugh-Nagumo", "LIF", "Izhikevich", "m∞(V)", "0.89"):
        assert node in overview, node


def test_figures_are_executed_outputs(content):
    images = content.select("div.cell_output img:not(.figure-panel)")  # the phone panels: test_reader
    outside = [img for img in images if not img.find_parent("div", class_="solution")]
    assert len(outside) == len(FIGURES), f"expected {FIGURES}, found {len(outside)} figures"
    for img in images:
        png = (W5D2_HTML.parent / img["src"]).resolve()
        assert png.suffix == ".png" and png.is_file(), img["src"]
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert drawn_fraction(png) > 0.01, f"{png.name} looks empty"


def test_result_tables_render_as_tables(content):
    tables = content.find_all("table")
    text = [normalize(t.get_text(" ")) for t in tables]
    for header in ("τ_m / min(τ_h, τ_n)", "원래 모델 대비", "마지막 간격 (ms)", "전류 단위", "RHS 계산 / 초",
                   "발화율 / √(I − I_c)", "무릎 (μA/cm², mV)"):
        assert any(header in t for t in text), header


def test_exercises_have_collapsed_worked_solutions(page, content):
    exercises = content.select("div.exercise")
    solutions = content.select("div.solution")
    assert len(exercises) == len(solutions) == 4
    for ex, sol in zip(exercises, solutions):
        assert "dropdown" in sol["class"], "solutions must be collapsed by default"
        assert sol.select_one(".admonition-title a")["href"] == f"#{ex['id']}"
        assert sol.select("div.cell div.cell_input"), "the solution shows its code"
        assert sol.select("div.cell_output"), "the solution's code was executed"
        assert sol.select("div.cell_output img"), f"solution {sol.get('id')} has no figure"
        explanation = normalize(" ".join(p.get_text(" ") for p in sol.find_all("p")))
        assert re.search("[가-힣]", explanation) and len(explanation) > 400, "a Korean explanation"
    assert len({ex["id"] for ex in exercises}) == 4
    assert any("togglebutton" in s.get("src", "") for s in page.find_all("script"))


def test_quoted_numbers_match_the_outputs(content):
    """The Korean text quotes executed results; check that they agree."""
    outputs = normalize(" ".join(o.get_text(" ") for o in content.select("div.cell_output")))
    prose = normalize(" ".join(p.get_text(" ") for p in content.find_all(["p", "li"])))
    assert "적합: h ≈ 0.871 − 1.075 n" in outputs and "0.871 - 1.075" in prose.replace("−", "-")
    assert "-22.0%" in outputs and "약 22% 짧고" in prose
    assert "HH: 첫 발화 6.27 μA/cm²에서 51 Hz" in outputs and "6.27 μA/cm²에서 약 51 Hz로" in prose
    assert "Izhikevich RS: 첫 발화 3.78 mV/ms에서 5 Hz" in outputs
    assert "I = 1000 시뮬레이션 497 Hz" in outputs
    assert "진동하는 전류 범위: 0.33 – 1.42" in outputs
    hh_cost = int(re.search(r"HH 4 69 ([\d,]+)", outputs).group(1).replace(",", ""))
    assert 50_000 < hh_cost < 56_000 and "약 53,000번" in prose


def test_units_are_stated_for_each_model_current(content):
    text = normalize(content.get_text(" "))
    for phrase in ("μA/cm²", "mV/ms", "전류의 단위는 모델마다 다릅니다"):
        assert phrase in text


def test_links_to_w5d1_and_lif_model_resolve_both_ways(page, built_book):  # noqa: F811
    hrefs = _hrefs(page)
    buttons = [a for a in page.select("a.sd-btn") if "W5D1" in a.get_text()]
    assert [a["href"] for a in buttons] == ["day1-hodgkin-huxley.html"]
    assert "day1-hodgkin-huxley.html" in hrefs and _resolves(W5D2_HTML, "day1-hodgkin-huxley.html")
    for concept in ("lif-model", "action-potential", "neuron"):
        href = f"../../concepts/{concept}.html"
        assert href in hrefs and _resolves(W5D2_HTML, href), concept
    # ... and back: W5D1's "next" button and the LIF concept page link to W5D2.
    w5d1 = soup(W5D1_HTML)
    assert "day2-neuron-models.html" in [a["href"] for a in w5d1.select("a.sd-btn")]
    lif = soup(LIF_HTML)
    back = [h for h in _hrefs(main_content(lif)) if h.endswith("weeks/week5/day2-neuron-models.html")]
    assert back and all(_resolves(LIF_HTML, h) for h in back)


def test_every_internal_link_resolves(page):
    for href in _hrefs(page):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("#", "mailto:", "javascript:")):
            continue
        assert (W5D2_HTML.parent / unquote(parts.path)).resolve().exists(), href


def test_colab_badge_is_served_by_the_site(page, content):
    links = [a for a in content.find_all("a", href=True) if a["href"] == COLAB_NOTEBOOK]
    assert len(links) == 1
    img = links[0].find("img")
    assert img is not None and not urlsplit(img["src"]).netloc, "badge image must be local"
    assert (W5D2_HTML.parent / img["src"]).resolve().is_file()
    assert "colab.research.google.com/assets" not in str(page)


def test_references(content):
    text = normalize(content.get_text(" "))
    for ref in REFERENCES:
        assert ref in text, ref


def test_w5d2_builds_without_warnings(built_book):  # noqa: F811
    assert built_book.returncode == 0, built_book.log[-5000:]
    mine = [w for w in built_book.warnings() if "day2-neuron-models" in w or "lif-model" in w]
    assert mine == []

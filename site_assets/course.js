// Reader helpers of the course site (listed in _config.yml: html_js_files).
//
// 1. Every figure of a page opens at full resolution: the image becomes a link to its own file
//    (a new tab, a long press or no script still reach it) and a click, tap or Enter opens it in a
//    dialog at its natural size, where it scrolls and pinch-zooms; Esc or the close button returns.
// 2. English control names the diagram library and the theme set in script become Korean.
(() => {
  "use strict";

  const FIGURES = "article.bd-article img";
  const NAMES = {
    ".mermaid-fullscreen-btn": "다이어그램 전체 화면으로 보기",
    ".mermaid-fullscreen-close": "전체 화면 닫기",
    ".theme-switch-button": "밝은 화면과 어두운 화면 바꾸기",
  };

  let dialog = null;

  function zoomDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "figure-zoom-dialog";
    dialog.setAttribute("aria-label", "그림 크게 보기");
    dialog.innerHTML =
      '<div class="figure-zoom-bar">' +
      '<a class="figure-zoom-file" target="_blank" rel="noopener">이미지 파일 열기</a>' +
      '<button type="button" class="figure-zoom-fit" aria-pressed="false">화면에 맞추기</button>' +
      '<button type="button" class="figure-zoom-close">닫기</button></div>' +
      '<div class="figure-zoom-view" tabindex="0"><img alt=""></div>';
    const fit = dialog.querySelector(".figure-zoom-fit");
    fit.addEventListener("click", () => {
      const on = dialog.classList.toggle("is-fit");
      fit.setAttribute("aria-pressed", String(on));
    });
    dialog.querySelector(".figure-zoom-close").addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
    dialog.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); dialog.close(); } });
    document.body.append(dialog);
    return dialog;
  }

  function openFigure(img) {
    const d = zoomDialog();
    const big = d.querySelector(".figure-zoom-view img");
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    // Natural size in CSS pixels: a figure saved at 1590 px shows 1590 px wide (its text at the
    // size it was drawn), however small the phone.
    big.style.width = img.naturalWidth ? `${img.naturalWidth}px` : "";
    d.querySelector(".figure-zoom-file").href = big.src;
    d.classList.remove("is-fit");
    d.querySelector(".figure-zoom-fit").setAttribute("aria-pressed", "false");
    d.showModal();
    d.querySelector(".figure-zoom-view").focus();
  }

  function linkFigures() {
    for (const img of document.querySelectorAll(FIGURES)) {
      if (img.closest("a, .mermaid, .figure-zoom-dialog")) continue;
      const link = document.createElement("a");
      link.className = "figure-zoom";
      link.href = img.currentSrc || img.src;
      const hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = " (그림 크게 보기)";
      img.replaceWith(link);
      link.append(img, hint);
      link.addEventListener("click", (e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;  // new tab etc.: the file
        e.preventDefault();
        openFigure(img);
      });
    }
  }

  function nameControls(root) {
    for (const [selector, name] of Object.entries(NAMES)) {
      for (const el of root.querySelectorAll(selector)) {
        if (el.getAttribute("aria-label") !== name) el.setAttribute("aria-label", name);
      }
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    linkFigures();
    nameControls(document);
    new MutationObserver(() => nameControls(document)).observe(document.body, { childList: true, subtree: true });
  });
})();

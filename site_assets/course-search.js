// The search page, search.html?q=...: results from the site's Pagefind index (pagefind/, written
// after the build by scripts/sphinx_reader.py), each a link to the page with a snippet of its text.
// A new search on this page (its search field, or the header's) is answered in place: the address
// becomes search.html?q=<new>, so Back returns to the previous results. When the results are
// shown, #search-results carries data-query (the query they answer); data-error if the index failed.
const out = document.getElementById("search-results");
const root = new URL("../", import.meta.url);  // this script is served from <site>/_static/
let pagefind = null;  // the index, loaded once by the first search
let latest = 0;       // the newest search: an older one that finishes later shows nothing

const queryOfAddress = () => (new URLSearchParams(location.search).get("q") || "").trim();

async function loadIndex() {
  if (!pagefind) {
    const module = await import(new URL("pagefind/pagefind.js", root).href);
    await module.options({ baseUrl: root.pathname, excerptLength: 24 });
    pagefind = module;
  }
  return pagefind;
}

function listOf(results) {
  const list = document.createElement("ul");
  list.className = "search";
  for (const r of results) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = r.url;
    link.textContent = r.meta.title || r.url;
    const snippet = document.createElement("p");
    snippet.className = "context";
    snippet.innerHTML = r.excerpt;  // Pagefind escapes the page text; its only markup is <mark>
    item.append(link, snippet);
    list.append(item);
  }
  return list;
}

async function show(query) {
  const ticket = ++latest;
  for (const field of document.querySelectorAll("form.bd-search input[name=q]")) field.value = query;
  const status = document.createElement("p");
  status.className = "search-summary";
  status.setAttribute("role", "status");
  out.replaceChildren(status);
  delete out.dataset.query;
  delete out.dataset.error;
  if (!query) {
    status.textContent = "찾을 낱말을 검색 칸에 넣으세요.";
    out.dataset.query = "";
    return;
  }
  status.textContent = "검색 중…";
  out.setAttribute("aria-busy", "true");
  try {
    const index = await loadIndex();
    const search = await index.search(query);
    // A page that defines the term comes first: its match is a glossary term, which
    // scripts/sphinx_reader.py gives the weight TERM_WEIGHT (10; headings weigh 7 at most).
    const defines = (r) => (r.weighted_locations || []).some((l) => l.weight >= 10);
    const data = await Promise.all(search.results.map((r) => r.data()));
    if (ticket !== latest) return;
    const results = [...data.filter(defines), ...data.filter((r) => !defines(r))];
    status.textContent = results.length
      ? `“${query}” 검색 결과: 페이지 ${results.length}개`
      : `“${query}”이(가) 들어 있는 페이지가 없습니다.`;
    out.append(listOf(results));
  } catch (err) {
    if (ticket !== latest) return;
    status.textContent = "검색 색인을 읽지 못했습니다.";
    out.dataset.error = String(err);
    console.error(err);
  }
  out.removeAttribute("aria-busy");
  out.dataset.query = query;
}

// A search asked on this page: answered here, and remembered in the address and the history.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form.bd-search");
  if (!form) return;
  event.preventDefault();
  const query = (form.querySelector("input[name=q]").value || "").trim();
  form.closest("dialog")?.close();  // the header's search dialog
  const address = new URL(location.href);
  address.searchParams.set("q", query);
  address.hash = "";
  if (address.href !== location.href) history.pushState(null, "", address);
  show(query);
});
window.addEventListener("popstate", () => show(queryOfAddress()));
show(queryOfAddress());

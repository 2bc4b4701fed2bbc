// The search page, search.html?q=...: results from the site's Pagefind index (pagefind/, written
// after the build by scripts/sphinx_reader.py), each a link to the page with a snippet of its text.
const query = (new URLSearchParams(location.search).get("q") || "").trim();
const out = document.getElementById("search-results");
for (const field of document.querySelectorAll("form.bd-search input[name=q]")) field.value = query;

async function run() {
  const status = document.createElement("p");
  status.className = "search-summary";
  status.setAttribute("role", "status");
  out.replaceChildren(status);
  if (!query) { status.textContent = "찾을 낱말을 검색 칸에 넣으세요."; return; }
  status.textContent = "검색 중…";
  out.setAttribute("aria-busy", "true");
  const root = new URL("../", import.meta.url);  // this script is served from <site>/_static/
  const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
  await pagefind.options({ baseUrl: root.pathname, excerptLength: 24 });
  const search = await pagefind.search(query);
  // A page that defines the term comes first: its match is a glossary term, which
  // scripts/sphinx_reader.py gives the weight TERM_WEIGHT (10; headings weigh 7 at most).
  const defines = (r) => (r.weighted_locations || []).some((l) => l.weight >= 10);
  const data = await Promise.all(search.results.map((r) => r.data()));
  const results = [...data.filter(defines), ...data.filter((r) => !defines(r))];
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
  status.textContent = results.length
    ? `“${query}” 검색 결과: 페이지 ${results.length}개`
    : `“${query}”이(가) 들어 있는 페이지가 없습니다.`;
  out.append(list);
  out.removeAttribute("aria-busy");
}

run().catch((err) => {
  out.removeAttribute("aria-busy");
  out.textContent = "검색 색인을 읽지 못했습니다.";
  console.error(err);
});

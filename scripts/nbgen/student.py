"""Exercise solutions in the two notebooks: a folded form cell (instructor) or a TODO (student)."""
from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass
class Exercise:
    number: int
    label: str
    title: str

    def heading(self, sep: str = ": ") -> str:
        return f"문제 {self.number}" + (f"{sep}{self.title}" if self.title else "")


def _strip_magics(source: str) -> str:
    return "\n".join("" if l.lstrip().startswith(("%", "!")) else l for l in source.split("\n"))


def parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(_strip_magics(source))
    except SyntaxError:
        return None


def imported_names(node: ast.stmt) -> dict[str, str]:
    """name -> the import statement that binds it (absolute imports only)."""
    found = {}
    if isinstance(node, ast.Import):
        for a in node.names:
            found[(a.asname or a.name).split(".")[0]] = f"import {a.name}" + (f" as {a.asname}" if a.asname else "")
    elif isinstance(node, ast.ImportFrom) and node.level == 0:
        for a in node.names:
            found[a.asname or a.name] = f"from {node.module} import {a.name}" + (f" as {a.asname}" if a.asname else "")
    return found


def inputs(source: str) -> set[str]:
    """Names a cell reads before it assigns them at its top level (roughly: its inputs)."""
    tree = parse(source)
    assigned: set[str] = set()
    used: set[str] = set()
    for stmt in tree.body if tree else []:
        names = [n for n in ast.walk(stmt) if isinstance(n, ast.Name)]
        used |= {n.id for n in names if isinstance(n.ctx, ast.Load)} - assigned
        assigned |= {n.id for n in names if isinstance(n.ctx, ast.Store)} | set(imported_names(stmt))
    return used


def _assigned(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for t in targets:
            names += [n.id for n in ast.walk(t) if isinstance(n, ast.Name) and n.id not in names]
    return names


@dataclass
class Imports:
    everywhere: set[str]           # names imported by any cell of the page
    from_solutions: dict[str, str]  # name -> import, for names only solution cells import


def todo_cell(source: str, ex: Exercise, later: list[str], imports: Imports, hint: str | None) -> str:
    """The student scaffold for one solution code cell: imports, hints, and a NotImplementedError."""
    tree = parse(source) or ast.Module(body=[], type_ignores=[])
    own: dict[str, str] = {}
    for node in tree.body:
        own.update(imported_names(node))
    called = list(dict.fromkeys(n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call)
                                and isinstance(n.func, ast.Name) and n.func.id in imports.everywhere))
    later_inputs = set().union(*map(inputs, later)) if later else set()
    needed = [n for n in _assigned(tree) if n in later_inputs]
    title = f"문제 {ex.number}" + (f" ({ex.title})" if ex.title else "")
    lines = [f"# TODO — {title}: " + (hint.strip() if hint else "이 셀의 코드를 직접 작성하세요.")]
    if called:
        lines.append("#   사용할 함수: " + ", ".join(f"{c}()" for c in called))
    if needed:
        lines.append("#   뒤의 셀에서 쓸 변수: " + ", ".join(needed))
    lines.append("#   다 작성했으면 아래의 raise 줄을 지우세요.")
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    lines += sorted({imports.from_solutions[n] for n in used if n in imports.from_solutions and n not in own})
    segment = _strip_magics(source)
    lines += [ast.get_source_segment(segment, node) for node in tree.body
              if isinstance(node, (ast.Import, ast.ImportFrom))]
    lines += ["", f"raise NotImplementedError(\"{title}: TODO를 완성하세요\")"]
    return "\n".join(lines)


def solution_cell(source: str, ex: Exercise) -> str:
    return f"# @title 풀이 코드 — {ex.heading()} (먼저 직접 풀어 보세요) {{ display-mode: \"form\" }}\n{source}"

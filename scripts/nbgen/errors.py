"""The generator's one error type: it always names the page and line."""


class GeneratorError(RuntimeError):
    """Bad input (an unknown directive or role, a missing file, ...) or a failed render."""


def where(page: str, line: int | None) -> str:
    """``page:line`` (1-based line), or the page alone."""
    return f"{page}:{line}" if line else page

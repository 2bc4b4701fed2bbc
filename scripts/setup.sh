#!/usr/bin/env bash
# Install what the site build (`site`) or the test suite (`test`) needs, idempotently.
#   bash scripts/setup.sh site|test
# System packages (Debian/Ubuntu): fonts-noto-cjk for Hangul in figures and diagrams; chromium
# (both modes) because the site build parses every mermaid diagram with the pinned mermaid in
# headless Chromium (a syntax error fails the build) and the notebooks embed diagram renders;
# the browser tests use it too. Python packages: the pinned lock in requirements.txt (+ requirements-dev.txt
# for tests) and hh_lib itself in editable mode.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-site}
PYTHON=${PYTHON:-python3}

apt_packages=()
if ! fc-list 2>/dev/null | grep -i "Noto Sans CJK KR" >/dev/null; then apt_packages+=(fonts-noto-cjk); fi
# CHROMIUM may name another Chromium/Chrome binary (e.g. Google Chrome on GitHub's Ubuntu runners,
# whose apt "chromium" is only a snap wrapper); the tests and the diagram renderer use it too.
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then apt_packages+=(chromium); fi
# Emoji in headings (📋 🎯 📝 …) for the browser tests' glyph check and screenshots.
if [ "$mode" = test ] && ! fc-list 2>/dev/null | grep -i "Noto Color Emoji" >/dev/null; then apt_packages+=(fonts-noto-color-emoji); fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "setup: installing Debian packages: ${apt_packages[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" fontconfig
  else
    echo "setup: warning: cannot install ${apt_packages[*]} (no apt-get); install them yourself" >&2
  fi
fi

reqs=(-r requirements.txt)
if [ "$mode" = test ]; then reqs+=(-r requirements-dev.txt); fi
# Skip pip when nothing changed since the last successful install (saves ~10 s per run).
stamp=_build/.setup-$mode
digest=$(cat requirements.txt requirements-dev.txt pyproject.toml | sha256sum | cut -c1-16)-$($PYTHON -c 'import sys; print(sys.prefix)' | sha256sum | cut -c1-8)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ] && $PYTHON -c "import hh_lib" 2>/dev/null; then
  exit 0
fi
$PYTHON -m pip install --disable-pip-version-check --root-user-action=ignore -q "${reqs[@]}"
$PYTHON -m pip install --disable-pip-version-check --root-user-action=ignore -q --no-deps -e .
mkdir -p _build && echo "$digest" > "$stamp"

#!/usr/bin/env bash
# Regenerates the screenshots in docs/ from the real program: show's HTML
# page as Chromium renders it, and the terminal output of `status` and
# `diff` (ANSI colours turned into HTML, then rendered the same way).
# Needs chromium and python3. Usage: scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
charter=${CHARTER:-target/debug/charter}
[ -x "$charter" ] || cargo build --quiet
charter=$(realpath "$charter")
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome) || {
  echo "screenshots.sh: no chromium found (apt-get install chromium)" >&2
  exit 2
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p docs

shoot() { # shoot PAGE PNG WIDTH HEIGHT
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/profile" \
    --window-size="$3,$4" --screenshot="$2" "file://$1" 2>/dev/null
}

# A terminal: the command and its coloured output, as HTML.
terminal() { # terminal TITLE ANSI-FILE HTML-FILE
  python3 - "$1" "$2" "$3" <<'PY'
import html, re, sys
title, src, dst = sys.argv[1:]
colors = {'1': 'font-weight:bold', '2': 'color:#8b949e', '31': 'color:#ff7b72',
          '32': 'color:#7ee787', '33': 'color:#e3b341', '36': 'color:#79c0ff'}
out, open_spans = [], 0
for part in re.split(r'(\x1b\[[0-9;]*m)', open(src, encoding='utf-8').read()):
    m = re.fullmatch(r'\x1b\[([0-9;]*)m', part)
    if not m:
        out.append(html.escape(part))
        continue
    codes = [c for c in m.group(1).split(';') if c]
    if not codes or codes == ['0']:
        out.append('</span>' * open_spans)
        open_spans = 0
        continue
    style = ';'.join(colors[c] for c in codes if c in colors)
    out.append(f'<span style="{style}">')
    open_spans += 1
out.append('</span>' * open_spans)
page = ('<!DOCTYPE html><meta charset="utf-8"><style>body{margin:0;background:#0d1117}'
        'pre{margin:0;padding:16px;white-space:pre-wrap;color:#e6edf3;font:13px/1.45 "DejaVu Sans Mono",monospace}'
        '.cmd{color:#79c0ff}</style><pre><span class="cmd">$ ' + html.escape(title) +
        '</span>\n' + ''.join(out) + '</pre>')
open(dst, 'w', encoding='utf-8').write(page)
PY
}

(cd "$work" && "$charter" demo sample >/dev/null 2>&1)
sample="$work/sample"
export CHARTER_TODAY=2026-06-10

"$charter" -C "$sample" show lin-sam-onboarding --format html >"$work/show.html"
shoot "$work/show.html" docs/show.png 900 1500

"$charter" -C "$sample" --color always status >"$work/status.ansi"
terminal "charter status" "$work/status.ansi" "$work/status.html"
shoot "$work/status.html" docs/status.png 900 420

"$charter" -C "$sample" --color always diff HEAD~4 HEAD -- ada-grace >"$work/diff.ansi"
terminal "charter diff HEAD~4 HEAD -- ada-grace" "$work/diff.ansi" "$work/diff.html"
shoot "$work/diff.html" docs/diff.png 900 520

ls -l docs/*.png

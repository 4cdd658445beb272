#!/usr/bin/env bash
# Fetches real PNG screenshots and diagrams (316–940 px wide: GNOME's desktop, dialogs, an
# illustration) from Debian's gnome-user-docs package into a folder (default
# target/real-screenshots) and prints their paths, for
# `cargo bench --bench images -- --sweep $(bash benches/real-screenshots.sh)`. Nothing is
# committed: the files are fetched at run time with `apt-get download` (no root needed).
# Without apt, or when the download fails, it prints nothing and says why on stderr.
set -u
dir="${1:-target/real-screenshots}"
files=(shell-exit-expanded.png shell-workspaces.png shell-appts.png screenshot-tool.png
  shell-appmenu-shell.png color-printer.png)
mkdir -p "$dir"
missing=0
for f in "${files[@]}"; do [ -f "$dir/$f" ] || missing=1; done
if [ "$missing" = 1 ]; then
  if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    echo "real-screenshots.sh: no apt-get/dpkg-deb here" >&2
    exit 0
  fi
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && apt-get download gnome-user-docs >/dev/null 2>&1); then
    echo "real-screenshots.sh: apt-get download gnome-user-docs failed" >&2
    exit 0
  fi
  dpkg-deb -x "$tmp"/gnome-user-docs*.deb "$tmp/x"
  for f in "${files[@]}"; do cp "$tmp/x/usr/share/help/C/gnome-help/figures/$f" "$dir/" 2>/dev/null; done
fi
for f in "${files[@]}"; do [ -f "$dir/$f" ] && echo "$dir/$f"; done
exit 0

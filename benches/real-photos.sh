#!/usr/bin/env bash
# Fetches six real camera photos (9.8–20.4 MP, five of them progressive JPEGs) from Debian's
# lomiri-wallpapers packages into a folder (default target/real-photos) and prints their paths,
# for `cargo bench --bench images -- $(bash benches/real-photos.sh)`. Nothing is committed: the
# photos are fetched at run time with `apt-get download` (no root needed). Without apt, or
# when the download fails, it prints nothing and says why on stderr, so the bench falls back
# to its generated photos.
set -u
dir="${1:-target/real-photos}"
photos=(Wine_by_Jakkub_Mede.jpg Bridge_by_Sander_Klootwijk.jpg sunset_by_Aitzol_Berasategi.jpg
  Dragonfly_by_Bolly.jpg seeding_by_Clements_Engelhardt.jpg Kleiber_by_Lukas_Baubkus.jpg)
mkdir -p "$dir"
missing=0
for p in "${photos[@]}"; do [ -f "$dir/$p" ] || missing=1; done
if [ "$missing" = 1 ]; then
  if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    echo "real-photos.sh: no apt-get/dpkg-deb here; the bench uses its generated photos" >&2
    exit 0
  fi
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if ! (cd "$tmp" && apt-get download lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 >/dev/null 2>&1); then
    echo "real-photos.sh: apt-get download lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 failed; the bench uses its generated photos" >&2
    exit 0
  fi
  for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/x"; done
  for p in "${photos[@]}"; do cp "$tmp/x/usr/share/backgrounds/$p" "$dir/" 2>/dev/null; done
fi
for p in "${photos[@]}"; do [ -f "$dir/$p" ] && echo "$dir/$p"; done
exit 0

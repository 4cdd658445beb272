#!/usr/bin/env bash
# The release's local steps, shared by .github/workflows/release.yml and the tests:
#
#   scripts/release.sh package TARGET BIN_DIR OUT_DIR
#       Packs BIN_DIR/notion-bake and BIN_DIR/mdbook-notion-bake (with .exe on Windows
#       targets) and README.md into OUT_DIR/notion-bake-TARGET.tar.gz, whose one folder is
#       notion-bake-TARGET/, and writes its checksum beside it as
#       notion-bake-TARGET.tar.gz.sha256 (`sha256sum` format).
#   scripts/release.sh sums DIR
#       Gathers the .sha256 files of DIR into DIR/SHA256SUMS.
#
# The names match [package.metadata.binstall] in Cargo.toml and what scripts/action.sh
# downloads; the archive is a .tar.gz on every platform (Windows 10 and later have tar too).
set -euo pipefail

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$@"
    else
        shasum -a 256 "$@"
    fi
}

package() {
    local target=$1 bin_dir=$2 out_dir=$3
    local ext=""
    case "$target" in *windows*) ext=".exe" ;; esac
    local name="notion-bake-$target"
    local root
    root=$(cd "$(dirname "$0")/.." && pwd)
    local staging
    staging=$(mktemp -d)
    mkdir -p "$staging/$name" "$out_dir"
    for bin in notion-bake mdbook-notion-bake; do
        cp "$bin_dir/$bin$ext" "$staging/$name/"
        chmod 0755 "$staging/$name/$bin$ext"
    done
    cp "$root/README.md" "$staging/$name/"
    chmod 0644 "$staging/$name/README.md"
    tar -czf "$out_dir/$name.tar.gz" -C "$staging" "$name"
    rm -rf "$staging"
    (cd "$out_dir" && sha256 "$name.tar.gz" >"$name.tar.gz.sha256")
    echo "$out_dir/$name.tar.gz"
}

sums() {
    local dir=$1
    (cd "$dir" && cat notion-bake-*.tar.gz.sha256 >SHA256SUMS)
    echo "$dir/SHA256SUMS"
}

case "${1:-}" in
    package) shift; [ $# -eq 3 ] || { echo "usage: $0 package TARGET BIN_DIR OUT_DIR" >&2; exit 2; }; package "$@" ;;
    sums) shift; [ $# -eq 1 ] || { echo "usage: $0 sums DIR" >&2; exit 2; }; sums "$@" ;;
    *) echo "usage: $0 package TARGET BIN_DIR OUT_DIR | sums DIR" >&2; exit 2 ;;
esac

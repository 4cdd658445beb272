#!/usr/bin/env bash
# The shell steps of the notion-bake GitHub Action (action.yml), kept here so that the tests
# run them against a local "release" folder.
#
#   scripts/action.sh install   downloads the release archive for this runner from
#                               $NB_RELEASES (…/releases of the repository; file:// works),
#                               verifies its SHA-256 checksum, unpacks it under $RUNNER_TEMP
#                               and adds it to $GITHUB_PATH. $NB_VERSION: "latest" or a
#                               version such as 0.2.0 or v0.2.0.
#   scripts/action.sh run       runs `notion-bake $NB_COMMAND $NB_SITE`, then (when
#                               $NB_CHECK is true) `notion-bake check $NB_SITE`, and writes
#                               changed=true|false to $GITHUB_OUTPUT: whether SITE/public
#                               differs from the one the previous run left (its digest is kept
#                               in the cache folder, which the action saves between runs).
set -euo pipefail

SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"

fail() {
    echo "::error::notion-bake action: $*" >&2
    exit 1
}

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$@"
    else
        shasum -a 256 "$@"
    fi
}

runner_target() {
    case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
        Linux/X64) echo x86_64-unknown-linux-gnu ;;
        Linux/ARM64) echo aarch64-unknown-linux-gnu ;;
        macOS/X64) echo x86_64-apple-darwin ;;
        macOS/ARM64) echo aarch64-apple-darwin ;;
        Windows/X64) echo x86_64-pc-windows-msvc ;;
        *) fail "no release is built for a ${RUNNER_OS:-?} ${RUNNER_ARCH:-?} runner" ;;
    esac
}

install() {
    : "${NB_RELEASES:?}" "${RUNNER_TEMP:?}" "${GITHUB_PATH:?}"
    local version=${NB_VERSION:-latest}
    local target name url
    target=$(runner_target)
    name="notion-bake-$target.tar.gz"
    case "$version" in
        latest) url="$NB_RELEASES/latest/download/$name" ;;
        v*) url="$NB_RELEASES/download/$version/$name" ;;
        *) url="$NB_RELEASES/download/v$version/$name" ;;
    esac
    local dir="$RUNNER_TEMP/notion-bake-install"
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "downloading $url"
    curl --fail --silent --show-error --location --retry 3 -o "$dir/$name" "$url" ||
        fail "cannot download $url"
    curl --fail --silent --show-error --location --retry 3 -o "$dir/$name.sha256" "$url.sha256" ||
        fail "cannot download $url.sha256"
    local expected actual
    expected=$(cut -d ' ' -f 1 <"$dir/$name.sha256")
    actual=$(cd "$dir" && sha256 "$name" | cut -d ' ' -f 1)
    [ -n "$expected" ] && [ "$expected" = "$actual" ] ||
        fail "$name does not match its checksum (expected $expected, got $actual)"
    tar -xzf "$dir/$name" -C "$dir"
    local bin="$dir/notion-bake-$target"
    "$bin/notion-bake" --version
    echo "$bin" >>"$GITHUB_PATH"
}

# A digest of every file under $1 with its path, stable across runs and machines.
tree_digest() {
    (cd "$1" && find . -type f ! -name .notion-bake-output -print0 | LC_ALL=C sort -z |
        xargs -0 "$SELF" __sha256 | sha256 | cut -d ' ' -f 1)
}

run() {
    : "${GITHUB_OUTPUT:?}"
    local site=${NB_SITE:-.}
    local command=${NB_COMMAND:-build}
    # The command's words are split on spaces on purpose: "build --drafts".
    # shellcheck disable=SC2086
    notion-bake $command "$site"
    case "${NB_CHECK:-true}" in
        true) notion-bake check "$site" ;;
        false) ;;
        *) fail "check must be true or false, not ${NB_CHECK}" ;;
    esac
    local changed=true
    if [ -d "$site/public" ]; then
        local record="$site/.notion-bake/action-published.sha256"
        local digest
        digest=$(tree_digest "$site/public")
        if [ -f "$record" ] && [ "$(cat "$record")" = "$digest" ]; then
            changed=false
        fi
        mkdir -p "$site/.notion-bake"
        echo "$digest" >"$record"
    fi
    echo "changed=$changed" >>"$GITHUB_OUTPUT"
    echo "site changed: $changed"
}

case "${1:-}" in
    install) install ;;
    run) run ;;
    __sha256) shift; [ $# -eq 0 ] || sha256 "$@" ;;
    *) echo "usage: $0 install|run" >&2; exit 2 ;;
esac

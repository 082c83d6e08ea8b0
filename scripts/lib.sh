# Shared set-up for scripts/run and scripts/test: everything a fresh machine with
# Python 3.11 needs, installed only when missing.

PYTHON=${PYTHON:-python3}

ensure_uv() {
    if command -v uv >/dev/null 2>&1; then UV=(uv); return; fi
    if ! "$PYTHON" -m uv --version >/dev/null 2>&1; then
        echo "Installerar uv ..." >&2
        "$PYTHON" -m pip install --quiet --disable-pip-version-check uv >&2
    fi
    UV=("$PYTHON" -m uv)
}

sync_env() {
    ensure_uv
    "${UV[@]}" sync --frozen --quiet "$@"
    # shellcheck disable=SC1091
    source .venv/bin/activate
}

# ensure_apt PACKAGE...: install the Debian packages that are not installed yet.
ensure_apt() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installerar ${missing[*]} ..." >&2
    local sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

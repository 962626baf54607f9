# Sourced by bin/market-backend, .ci/run and scripts/run-local.sh: export JAVA_HOME pointing at a JDK >= 21.
# Installs nothing unless JDK_INSTALL=yes (CI); otherwise says what to install and fails.
# the JDK's release file when it has one: running `java -version` costs every start of the launcher a JVM start
java_major() {
    local release v
    release="$(dirname "$(dirname "$1")")/release"
    [[ -r "$release" ]] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    [[ -n "${v:-}" ]] && echo "$v" || "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1
}

pick_jdk() {
    local candidates=() d v
    [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
    candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64)
    for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do [[ -d $d ]] && candidates+=("$d"); done
    if command -v javac >/dev/null; then candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"); fi
    for d in "${candidates[@]}"; do
        if [[ -x "$d/bin/java" && -x "$d/bin/javac" ]]; then
            v=$(java_major "$d/bin/java")
            if [[ -n "$v" && "$v" -ge 21 ]]; then echo "$d"; return 0; fi
        fi
    done
    return 1
}

if ! JAVA_HOME=$(pick_jdk); then
    if [[ "${JDK_INSTALL:-}" == yes ]]; then
        echo "No JDK >= 21 found; installing openjdk-21 from Debian" >&2
        apt-get update -qq && apt-get install -y -qq openjdk-21-jdk-headless >/dev/null
        JAVA_HOME=$(pick_jdk)
    else
        echo "market-backend needs a JDK 21 or newer (found none in JAVA_HOME, /usr/lib/jvm or PATH)." >&2
        echo "Install one, e.g. 'apt-get install openjdk-21-jdk-headless' (Debian/Ubuntu) or Temurin 21 from adoptium.net, or set JAVA_HOME." >&2
        exit 1
    fi
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

# Sourced by .ci/run and scripts/run-local.sh: export JAVA_HOME pointing at a JDK >= 21.
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }

pick_jdk() {
    local candidates=() d v
    [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
    candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64)
    for d in /usr/lib/jvm/*; do candidates+=("$d"); done
    for d in "${candidates[@]}"; do
        if [[ -x "$d/bin/java" && -x "$d/bin/javac" ]]; then
            v=$(java_major "$d/bin/java")
            if [[ -n "$v" && "$v" -ge 21 ]]; then echo "$d"; return 0; fi
        fi
    done
    return 1
}

if ! JAVA_HOME=$(pick_jdk); then
    echo "No JDK >= 21 found; installing openjdk-21 from Debian" >&2
    apt-get update -qq && apt-get install -y -qq openjdk-21-jdk-headless >/dev/null
    JAVA_HOME=$(pick_jdk)
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"

# Sourced by bin/market-backend and bench/startup.sh after scripts/jdk.sh: the server's JVM options, and JDK 25's
# AOT cache of this build (JEP 483/514/515): the classes the server loads and links and their method profiles,
# recorded by one training run. The JVM accepts a cache only for the same JDK and the same jar and libs, so its file
# name carries a digest of those: a new build or JDK looks for a file that does not exist yet, and gets a new one.

# a small initial heap: G1 grows it when the load needs it (the maximum is unchanged), and the default (1/64 of the
# machine's memory) let an idle server keep ~400 MiB resident after a load it had needed 12 MiB of live data for
SERVER_JVM_OPTS=(-Xms64m)

# aot_cache JAR: the cache's path for this JDK and this build of JAR, whether it exists or not; fails on a JDK < 25
aot_cache() {
    local jar=$1 release="$JAVA_HOME/release" major digest
    major=$(java_major "$JAVA_HOME/bin/java")
    [[ -n "$major" && "$major" -ge 25 && -r "$release" ]] || return 1
    # stat, not a hash of the contents: a rebuild or a JDK update in place changes sizes and times; names relative to
    # the jar's folder, as the JVM accepts the cache whichever path reaches the same files
    digest=$({ cat "$release"; stat -c '%s %Y' "$JAVA_HOME/lib/server/libjvm.so"
               cd "$(dirname "$jar")" && stat -c '%n %s %Y' "$(basename "$jar")" libs/*.jar; } | sha256sum | cut -c1-16)
    echo "$(dirname "$jar")/aot/market-backend-$digest.aot"
}

# aot_train JAR CACHE: serves JAR on a free loopback port with -XX:AOTCacheOutput, sends it storefront requests, stops
# it (the JVM writes the cache at exit), and keeps the cache only if the JVM then loads it; older caches are removed
aot_train() {
    local jar=$1 cache=$2 out pid port id
    out="$cache.training"
    rm -f "$out" "$out.config"  # a run that was killed leaves them
    # niced: it may run beside a server that is answering requests
    SERVER_HOST=127.0.0.1 SERVER_PORT=0 REVENUE_SNAPSHOT_INTERVAL_MINUTES=0 \
        nice -n 10 "$JAVA_HOME/bin/java" "${SERVER_JVM_OPTS[@]}" -XX:AOTCacheOutput="$out" -jar "$jar" serve \
        > "$out.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do
        port=$(sed -n 's/.*serving on http:[^ ]*:\([0-9]*\) .*/\1/p' "$out.log")
        [[ -n "$port" ]] && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.2
    done
    if [[ -z "$port" ]]; then
        echo "aot: the training server did not answer:" >&2
        tail -n 5 "$out.log" >&2
        kill $pid 2>/dev/null || true
        wait $pid 2>/dev/null || true
        return 1
    fi
    local base="http://127.0.0.1:$port" market path
    id=$(curl -s -m 10 -H 'X-Market: KG' "$base/api/products" | sed -n 's/^[^[]*\[{"id":\([0-9]*\).*/\1/p' || true)
    for market in KG US; do
        for path in /api/markets /api/products "/api/products?page=2&size=5" "/api/products/${id:-1}" /api/categories \
                    /api/banners "/api/products?page=0" /api/nothing-here /observe/health; do
            curl -s -m 10 -o /dev/null -H "X-Market: $market" "$base$path" || true
        done
    done
    kill $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    # AOTMode=on: the JVM refuses to start with a cache it cannot use, instead of ignoring it
    if [[ -s "$out" ]] && "$JAVA_HOME/bin/java" -XX:AOTCache="$out" -XX:AOTMode=on -jar "$jar" help >/dev/null 2>&1
    then
        find "$(dirname "$cache")" -name 'market-backend-*.aot' ! -name "$(basename "$cache")" -delete
        mv "$out" "$cache"
        rm -f "$out.log"
        echo "aot: trained $cache ($(du -m "$cache" | cut -f1) MB)" >&2
    else
        echo "aot: the training run left no usable cache (log: $out.log)" >&2
        rm -f "$out"
        return 1
    fi
}

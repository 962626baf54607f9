# Sourced by .ci/run and scripts/run-local.sh: make sure the local PostgreSQL answers on 127.0.0.1:5432.
pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if ! pg_up; then
    if ! command -v pg_ctlcluster >/dev/null; then
        apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
    fi
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -n | tail -1)" main start || true
    for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
pg_up || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }

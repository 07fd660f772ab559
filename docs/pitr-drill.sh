#!/bin/bash
# pgBackRest drill: a scratch cluster with WAL archiving, a full backup, a mistake,
# and a point-in-time restore to just before it. Run as the postgres OS user:
#   install -d -o postgres /tmp/tsunagu-pitr-drill && su postgres -c "bash docs/pitr-drill.sh"
# It uses its own socket (port 5440) and touches no other cluster.
set -euo pipefail
B=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
D=${1:-/tmp/tsunagu-pitr-drill}   # a scratch folder the postgres OS user owns
mkdir -p $D && cd $D
rm -rf data repo run log pgbackrest.conf dump.pgdump; mkdir -p run repo log
$B/initdb -D data -U postgres --auth=trust >/dev/null
cat > pgbackrest.conf <<CONF
[tsunagu]
pg1-path=$D/data
pg1-socket-path=$D/run
pg1-port=5440

[global]
repo1-path=$D/repo
repo1-retention-full=2
log-path=$D/log
lock-path=$D/run
start-fast=y
CONF
cat >> data/postgresql.conf <<CONF
listen_addresses = ''
unix_socket_directories = '$D/run'
port = 5440
archive_mode = on
archive_command = 'pgbackrest --config=$D/pgbackrest.conf --stanza=tsunagu archive-push %p'
CONF
$B/pg_ctl -D data -l data/server.log -w start >/dev/null
PSQL="$B/psql -h $D/run -p 5440 -U postgres -X -q -A -t"
$PSQL -c "CREATE TABLE sales (id int PRIMARY KEY, total int)"
$PSQL -c "INSERT INTO sales SELECT g, g*100 FROM generate_series(1,1000) g"
pgbackrest --config=$D/pgbackrest.conf --stanza=tsunagu stanza-create
pgbackrest --config=$D/pgbackrest.conf --stanza=tsunagu check
pgbackrest --config=$D/pgbackrest.conf --stanza=tsunagu --type=full backup
$PSQL -c "INSERT INTO sales SELECT g, g*100 FROM generate_series(1001,1500) g"
sleep 1
TARGET=$($PSQL -c "SELECT now()")
echo "target time: $TARGET; rows before the mistake: $($PSQL -c 'SELECT count(*) FROM sales')"
$B/pg_dump -h $D/run -p 5440 -U postgres -Fc -f dump.pgdump postgres   # the small city's nightly dump
sleep 1
$PSQL -c "DELETE FROM sales WHERE id > 100"   # the mistake
$PSQL -c "SELECT pg_switch_wal()" >/dev/null
sleep 2
echo "rows after the mistake: $($PSQL -c 'SELECT count(*) FROM sales')"
$B/pg_ctl -D data -w stop -m fast >/dev/null
pgbackrest --config=$D/pgbackrest.conf --stanza=tsunagu --delta --type=time "--target=$TARGET" --target-action=promote restore
$B/pg_ctl -D data -l data/server.log -w start >/dev/null
for i in $(seq 1 30); do [ "$($PSQL -c 'SELECT pg_is_in_recovery()')" = f ] && break; sleep 1; done
echo "rows after point-in-time restore: $($PSQL -c 'SELECT count(*) FROM sales')"
pgbackrest --config=$D/pgbackrest.conf --stanza=tsunagu info
# The pg_dump restore: into a fresh database.
$B/createdb -h $D/run -p 5440 -U postgres restored
$B/pg_restore -h $D/run -p 5440 -U postgres --no-owner -d restored dump.pgdump
echo "rows in the database restored from pg_dump: $($PSQL -d restored -c 'SELECT count(*) FROM sales')"
$B/pg_ctl -D data -w stop -m fast >/dev/null

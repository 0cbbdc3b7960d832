# Sourced by the end-to-end scripts: the database under test, from BACKUPD_TEST_BACKEND.
#   use_test_database PREFIX
# sets DB_URL (and for MySQL creates a fresh database named PREFIX_<pid>_<random> on the server
# of BACKUPD_TEST_MYSQL_URL, exports BACKUPD_DATABASE_PASSWORD so the password never reaches a
# command line, and defines mariadb_admin_sql and drop_test_database). Without that URL MySQL
# runs are skipped (exit 77), except under CI=true, where they fail.
# shellcheck shell=bash disable=SC2034  # DB_URL and m_* are read by the sourcing script

mysql_db=""
DB_URL=""
drop_test_database() { :; }

use_test_database() {
  if [ "${BACKUPD_TEST_BACKEND:-sqlite}" != mysql ]; then
    DB_URL="sqlite:${work:?the sourcing script sets work}/backupd.db"
    return
  fi
  if [ -z "${BACKUPD_TEST_MYSQL_URL:-}" ]; then
    if [ "${CI:-}" = true ]; then echo "BACKUPD_TEST_MYSQL_URL is not set under CI" >&2; exit 1; fi
    echo "skipped: BACKUPD_TEST_MYSQL_URL is not set"; exit 77
  fi
  # mysql://user:pw@host:port/db -> parts, for the mariadb client.
  local rest=${BACKUPD_TEST_MYSQL_URL#mysql://}
  m_user=${rest%%:*}; rest=${rest#*:}; m_pass=${rest%%@*}; rest=${rest#*@}
  m_host=${rest%%:*}; rest=${rest#*:}; m_port=${rest%%/*}
  mariadb_admin_sql() { mariadb --no-defaults -h "$m_host" -P "$m_port" -u "$m_user" -p"$m_pass" -e "$1"; }
  drop_test_database() { [ -n "$mysql_db" ] && mariadb_admin_sql "DROP DATABASE IF EXISTS $mysql_db"; }
  mysql_db="${1}_$$_$RANDOM"
  mariadb_admin_sql "CREATE DATABASE $mysql_db CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" || exit 1
  export BACKUPD_DATABASE_PASSWORD=$m_pass
  DB_URL="mysql://$m_user@$m_host:$m_port/$mysql_db"
}

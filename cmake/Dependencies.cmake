# Every dependency is a Debian bookworm package (see docs/toolchain.md section 1).

find_package(Boost 1.81 REQUIRED CONFIG
  COMPONENTS system unit_test_framework program_options json url)
find_package(spdlog REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Threads REQUIRED)
# zlib1g-dev: the dashboard's files are gzip-compressed at build time (api/bundle/).
find_package(ZLIB REQUIRED)

# Howard Hinnant's date library (libhowardhinnant-date-dev): time zones from the system's tzdata
# (date::date-tz is built with USE_OS_TZDB=1), which g++ 12's <chrono> lacks.
find_package(date REQUIRED CONFIG)

# RapidJSON's config defines no target, only RAPIDJSON_INCLUDE_DIRS.
find_package(RapidJSON REQUIRED)
add_library(backupd_rapidjson INTERFACE)
target_include_directories(backupd_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIRS})

# Debian's SOCI 4.0.3 ships neither a CMake config nor a .pc file: define the targets here.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_path(MARIADB_INCLUDE_DIR mysql.h PATH_SUFFIXES mariadb mysql REQUIRED)
find_library(SOCI_CORE_LIBRARY soci_core REQUIRED)
find_library(SOCI_MYSQL_LIBRARY soci_mysql REQUIRED)
find_library(SOCI_SQLITE3_LIBRARY soci_sqlite3 REQUIRED)
find_library(MARIADB_LIBRARY NAMES mariadb mysqlclient REQUIRED)

add_library(SOCI::core UNKNOWN IMPORTED)
set_target_properties(SOCI::core PROPERTIES
  IMPORTED_LOCATION ${SOCI_CORE_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${SOCI_INCLUDE_DIR}
  INTERFACE_LINK_LIBRARIES "${CMAKE_DL_LIBS}")
add_library(SOCI::mysql UNKNOWN IMPORTED)
# soci-mysql.h includes <mysql.h>, which Debian keeps under /usr/include/mariadb.
set_target_properties(SOCI::mysql PROPERTIES
  IMPORTED_LOCATION ${SOCI_MYSQL_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${MARIADB_INCLUDE_DIR}
  INTERFACE_LINK_LIBRARIES "SOCI::core;${MARIADB_LIBRARY}")
add_library(SOCI::sqlite3 UNKNOWN IMPORTED)
set_target_properties(SOCI::sqlite3 PROPERTIES
  IMPORTED_LOCATION ${SOCI_SQLITE3_LIBRARY}
  INTERFACE_LINK_LIBRARIES "SOCI::core;SQLite::SQLite3")

# Debian's libxxhash-dev ships neither a CMake config nor a .pc file: define the target here.
find_path(XXHASH_INCLUDE_DIR xxhash.h REQUIRED)
find_library(XXHASH_LIBRARY xxhash REQUIRED)
add_library(xxHash::xxhash UNKNOWN IMPORTED)
set_target_properties(xxHash::xxhash PROPERTIES
  IMPORTED_LOCATION ${XXHASH_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${XXHASH_INCLUDE_DIR})

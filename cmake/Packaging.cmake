# Install rules and the Debian package (scripts/package.sh, `make deb`: cpack -G DEB in build/).
#
# The install tree is the package's root file system, relative to the install prefix:
#   usr/bin/backupd                          the daemon (stripped)
#   lib/systemd/system/backupd.service       the unit (deploy/systemd/)
#   usr/lib/sysusers.d/backupd.conf          the system user backupd
#   etc/backupd/backupd.conf                 the example configuration, a dpkg conffile
#   usr/share/doc/backupd/                   README.md, deploy-vm.md, copyright
#   usr/share/man/man8/backupd.8.gz          the manual pages (docs/man/), also
#   usr/share/man/man1/backupctl.1.gz        of the client
#   usr/bin/backupctl                        the command-line client (stripped)
#   usr/share/bash-completion/completions/backupctl
# so `cmake --install build --prefix /tmp/root` stages exactly the .deb's files and nothing
# lands outside /tmp/root. Install on a machine with the .deb: its maintainer scripts
# (deploy/debian/) also create the user and /var/lib/backupd and register the service.
# Only the two programs ship: no static library, no test binary, no header.

install(TARGETS backupd RUNTIME DESTINATION usr/bin)
install(FILES deploy/systemd/backupd.service DESTINATION lib/systemd/system)
install(FILES deploy/systemd/backupd.sysusers DESTINATION usr/lib/sysusers.d
        RENAME backupd.conf)
install(FILES deploy/backupd.conf DESTINATION etc/backupd)
install(FILES README.md docs/deploy-vm.md DESTINATION usr/share/doc/backupd)
install(FILES LICENSE DESTINATION usr/share/doc/backupd RENAME copyright)
# The manual pages backupd(8) and backupctl(1), compressed at install time as Debian policy asks:
# gzip -9n stores no name or time, so the package stays reproducible. No build target:
# `--target backupd` builds are enough.
foreach(page backupd.8 backupctl.1)
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section ${page})
  set(compressed ${PROJECT_BINARY_DIR}/man/${page}.gz)
  install(CODE "file(MAKE_DIRECTORY \"${PROJECT_BINARY_DIR}/man\")
    execute_process(COMMAND gzip -9n -c \"${PROJECT_SOURCE_DIR}/docs/man/${page}\"
                    OUTPUT_FILE \"${compressed}\" COMMAND_ERROR_IS_FATAL ANY)")
  install(FILES ${compressed} DESTINATION usr/share/man/man${section})
endforeach()
# backupctl, the command-line client (cli/): its binary and bash completion.
install(TARGETS backupctl RUNTIME DESTINATION usr/bin)
install(FILES cli/completion/backupctl.bash DESTINATION usr/share/bash-completion/completions
        RENAME backupctl)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME backupd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "backupd maintainers <backupd@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "backup daemon driven over HTTP")
set(CPACK_PACKAGE_DESCRIPTION
    "Ask it over HTTP to back up a folder: it queues a job in a database (SQLite, or a shared \
MySQL/MariaDB), worker threads copy the folder into a snapshot with unchanged files hard-linked \
to the previous one, and every action lands in an audit log. Runs as the systemd service \
backupd under the system user backupd, state in /var/lib/backupd.")
set(CPACK_PACKAGING_INSTALL_PREFIX /)
set(CPACK_OUTPUT_FILE_PREFIX ${PROJECT_BINARY_DIR}/packages)
# RelWithDebInfo binaries carry ~10x their size in debug info; the package ships without it.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # backupd_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps (dpkg-dev) turns the binary's shared libraries into Depends.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libdate-tz reads the system's zone files: plans' time zones need them at run time.
set(CPACK_DEBIAN_PACKAGE_DEPENDS tzdata)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS systemd)

# dpkg keeps an edited /etc/backupd/backupd.conf across upgrades and removes it only on purge.
set(backupd_conffiles ${PROJECT_BINARY_DIR}/debian/conffiles)
file(WRITE ${backupd_conffiles} "/etc/backupd/backupd.conf\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${backupd_conffiles}
    ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm
    ${PROJECT_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)

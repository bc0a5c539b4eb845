# Debian packages (CPack DEB), one per component:
#   sanayicind         the daemon, its systemd units (paths as packaged), the
#                      system user (sysusers.d), /etc/sanayicin's defaults as
#                      conffiles, deploy.sh, and maintainer scripts that make
#                      the user and run the migrations (deploy/package/)
#   sanayicin-console  the desktop console and its .desktop entry (its own
#                      translations are inside the binary, Qt's come from
#                      qt6-translations-l10n)
# Build them with tools/package.sh (a Release build), or from any build tree:
#   cpack -G DEB --config CPackConfig.cmake -B <folder>
# Library dependencies come from dpkg-shlibdeps; what it cannot see (Qt's SQL
# drivers are plugins, deploy.sh runs curl) is listed below.
#
# The package-only install rules are EXCLUDE_FROM_ALL: a plain
# `cmake --install` puts nothing in /etc or /usr/lib/systemd.

# cpack installs without building everything first (its "preinstall" step
# would otherwise build every target): tools/package.sh builds, and the
# package tests use the daemon the test build already made.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(_pkg_src ${PROJECT_SOURCE_DIR}/deploy/package)
set(_pkg_bin ${CMAKE_BINARY_DIR}/package)

# The units as the package installs them: the binary in /usr/bin and the
# documentation under /usr/share/doc (deploy/systemd/ names the /usr/local
# paths of a hand install, docs/operations.md).
set(_pkg_units sanayicind@.service sanayicind-migrate.service sanayicin.target
               sanayicin-worker@.service sanayicin-scheduler.service
               sanayicin-backup@.service sanayicin-backup-full.timer sanayicin-backup-diff.timer
               sanayicin-restore-drill.service sanayicin-restore-drill.timer)
foreach(_unit IN LISTS _pkg_units)
    set(_in ${PROJECT_SOURCE_DIR}/deploy/systemd/${_unit})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_in})
    file(READ ${_in} _text)
    string(REPLACE "/usr/local/bin/sanayicind" "/usr/bin/sanayicind" _text "${_text}")
    string(REPLACE "/usr/local/share/doc/sanayicin/" "/usr/share/doc/sanayicind/" _text "${_text}")
    string(REPLACE "/usr/local/lib/sanayicin/" "/usr/lib/sanayicin/" _text "${_text}")
    file(GENERATE OUTPUT ${_pkg_bin}/systemd/${_unit} CONTENT "${_text}")
    install(FILES ${_pkg_bin}/systemd/${_unit} DESTINATION lib/systemd/system
            COMPONENT sanayicind EXCLUDE_FROM_ALL)
endforeach()

install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/sanayicin.sysusers.conf
        DESTINATION lib/sysusers.d RENAME sanayicin.conf COMPONENT sanayicind EXCLUDE_FROM_ALL)

# Defaults for /etc/sanayicin, each a conffile: dpkg keeps a changed one on
# upgrade and asks. secrets.env is not shipped (it holds passwords): the
# postinst creates an empty one, the example goes to the documentation.
set(_pkg_etc sanayicind.ini instance-1.env instance-2.env instance-3.env)
set(_pkg_conffiles "")
foreach(_f IN LISTS _pkg_etc)
    install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/etc-sanayicin/${_f}
            DESTINATION /etc/sanayicin PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
            COMPONENT sanayicind EXCLUDE_FROM_ALL)
    string(APPEND _pkg_conffiles "/etc/sanayicin/${_f}\n")
endforeach()
file(GENERATE OUTPUT ${_pkg_bin}/sanayicind/conffiles CONTENT "${_pkg_conffiles}")

install(FILES ${PROJECT_SOURCE_DIR}/docs/operations.md
              ${PROJECT_SOURCE_DIR}/deploy/systemd/etc-sanayicin/secrets.env.example
        DESTINATION share/doc/sanayicind COMPONENT sanayicind EXCLUDE_FROM_ALL)
install(PROGRAMS ${PROJECT_SOURCE_DIR}/deploy/scripts/deploy.sh
        DESTINATION lib/sanayicin COMPONENT sanayicind EXCLUDE_FROM_ALL)

# The backup units' scripts and the pgBouncer exporter's start beside
# deploy.sh (the units above name /usr/lib/sanayicin/).
install(PROGRAMS ${PROJECT_SOURCE_DIR}/deploy/scripts/backup.sh
                 ${PROJECT_SOURCE_DIR}/deploy/scripts/restore.sh
                 ${PROJECT_SOURCE_DIR}/deploy/scripts/restore-drill.sh
                 ${PROJECT_SOURCE_DIR}/deploy/scripts/dump.sh
                 ${PROJECT_SOURCE_DIR}/deploy/monitoring/exporters/pgbouncer-exporter-compat.py
        DESTINATION lib/sanayicin COMPONENT sanayicind EXCLUDE_FROM_ALL)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/scripts/backup-lib.sh
        DESTINATION lib/sanayicin COMPONENT sanayicind EXCLUDE_FROM_ALL)

# The other services' settings (nginx, PostgreSQL, pgBouncer, Redis,
# monitoring, monit, firewall, pgBackRest, sysctl, the drop-ins) and the web
# page, laid out as in the repository: docs/operations.md's steps run in
# /usr/share/sanayicind on a server that has only the package. Not the units
# and scripts, which the package installs itself (above); the drop-in that
# names a script gets the packaged path.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/deploy/nginx ${PROJECT_SOURCE_DIR}/deploy/postgresql
                  ${PROJECT_SOURCE_DIR}/deploy/pgbouncer ${PROJECT_SOURCE_DIR}/deploy/redis
                  ${PROJECT_SOURCE_DIR}/deploy/monitoring ${PROJECT_SOURCE_DIR}/deploy/monit
                  ${PROJECT_SOURCE_DIR}/deploy/nftables ${PROJECT_SOURCE_DIR}/deploy/pgbackrest
                  ${PROJECT_SOURCE_DIR}/deploy/sysctl
        DESTINATION share/sanayicind/deploy COMPONENT sanayicind EXCLUDE_FROM_ALL
        PATTERN "*-test.*" EXCLUDE PATTERN "*.py" EXCLUDE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/web
        DESTINATION share/sanayicind/resources COMPONENT sanayicind EXCLUDE_FROM_ALL)
file(GLOB _pkg_dropins RELATIVE ${PROJECT_SOURCE_DIR}/deploy/systemd/drop-ins
     ${PROJECT_SOURCE_DIR}/deploy/systemd/drop-ins/*/sanayicin.conf)
foreach(_dropin IN LISTS _pkg_dropins)
    set(_in ${PROJECT_SOURCE_DIR}/deploy/systemd/drop-ins/${_dropin})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_in})
    file(READ ${_in} _text)
    string(REPLACE "/usr/local/lib/sanayicin/" "/usr/lib/sanayicin/" _text "${_text}")
    file(GENERATE OUTPUT ${_pkg_bin}/drop-ins/${_dropin} CONTENT "${_text}")
    get_filename_component(_dir ${_dropin} DIRECTORY)
    install(FILES ${_pkg_bin}/drop-ins/${_dropin} DESTINATION share/sanayicind/deploy/systemd/drop-ins/${_dir}
            COMPONENT sanayicind EXCLUDE_FROM_ALL)
endforeach()

if(SANAYICIN_BUILD_CONSOLE)
    install(FILES ${_pkg_src}/sanayicin-console.desktop DESTINATION share/applications
            COMPONENT console EXCLUDE_FROM_ALL)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sanayicin)
set(CPACK_PACKAGE_VENDOR "Sanayicin")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Sanayicin operations <ops@sanayicin.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
if(CMAKE_BUILD_TYPE STREQUAL "Release")
    set(CPACK_STRIP_FILES TRUE)
endif()
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # <name>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_COMPONENTS_ALL sanayicind)

set(CPACK_DEBIAN_SANAYICIND_PACKAGE_NAME sanayicind)
set(CPACK_COMPONENT_SANAYICIND_DESCRIPTION
    "Sanayicin real-time messaging daemon\nThe chat daemon (HTTP API, WebSocket gateway) with its systemd units\n(sanayicind@N, migrations, job worker and scheduler), system user and\ndefault configuration.")
set(CPACK_DEBIAN_SANAYICIND_PACKAGE_DEPENDS
    "systemd (>= 247), libqt6sql6-psql, libqt6sql6-sqlite, curl, util-linux")
set(CPACK_DEBIAN_SANAYICIND_PACKAGE_CONTROL_EXTRA
    "${_pkg_src}/sanayicind/postinst;${_pkg_src}/sanayicind/prerm;${_pkg_src}/sanayicind/postrm;${_pkg_bin}/sanayicind/conffiles")

if(SANAYICIN_BUILD_CONSOLE)
    list(APPEND CPACK_COMPONENTS_ALL console)
    set(CPACK_DEBIAN_CONSOLE_PACKAGE_NAME sanayicin-console)
    set(CPACK_DEBIAN_CONSOLE_PACKAGE_SECTION net)
    set(CPACK_COMPONENT_CONSOLE_DESCRIPTION
        "Sanayicin desktop console\nModeration and operations console (Qt Widgets) for the Sanayicin\nadmin API, in Turkish and English.")
    set(CPACK_DEBIAN_CONSOLE_PACKAGE_DEPENDS "qt6-translations-l10n")
endif()

include(CPack)

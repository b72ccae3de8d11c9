# Runs CPack on the build tree and checks that the .deb holds what a user needs.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
    COMMAND cpack -G DEB --config "${BINARY_DIR}/CPackConfig.cmake" -B "${WORK_DIR}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cpack failed (${rc}):\n${out}\n${err}")
endif()
file(GLOB debs "${WORK_DIR}/*.deb")
list(LENGTH debs count)
if(NOT count EQUAL 1)
    message(FATAL_ERROR "expected one .deb in ${WORK_DIR}, found ${count}: ${debs}")
endif()
execute_process(COMMAND dpkg-deb -c ${debs} OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "dpkg-deb -c failed on ${debs}")
endif()
execute_process(COMMAND dpkg-deb -f ${debs} Package Depends OUTPUT_VARIABLE control)

set(required
    "./usr/bin/antibody"
    "./usr/bin/antibodyctl"
    "./usr/bin/antibody-server"
    "./usr/lib/systemd/system/antibody-server.service"
    "./usr/share/doc/antibody/team.md"
    "./usr/share/applications/io.antibody.Console.desktop"
    "./usr/share/metainfo/io.antibody.Console.metainfo.xml"
    "./usr/share/icons/hicolor/scalable/apps/antibody.svg"
    "./usr/share/antibody/rules/antibody.rules.yml")
file(GLOB runbooks RELATIVE "${SOURCE_DIR}/runbooks" "${SOURCE_DIR}/runbooks/*.yaml")
foreach(r IN LISTS runbooks)
    list(APPEND required "./usr/share/antibody/runbooks/${r}")
endforeach()
set(missing "")
foreach(path IN LISTS required)
    string(FIND "${listing}" " ${path}\n" pos)
    if(pos EQUAL -1)
        list(APPEND missing "${path}")
    endif()
endforeach()
if(missing)
    message(FATAL_ERROR "the package lacks:\n  ${missing}\nIt holds:\n${listing}")
endif()
# The libraries the executables link: Qt, libcurl and libpq (connectors), yaml-cpp (runbooks), SQLite (the store)
foreach(dep libqt6core6 libqt6widgets6 libcurl4 libpq5 libyaml-cpp libsqlite3-0)
    string(FIND "${control}" "${dep}" pos)
    if(pos EQUAL -1)
        message(FATAL_ERROR "the package does not depend on ${dep}:\n${control}")
    endif()
endforeach()
list(LENGTH required n)
message(STATUS "package ${debs} holds all ${n} required files and declares its library dependencies")

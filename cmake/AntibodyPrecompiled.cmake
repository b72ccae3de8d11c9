# Precompiled headers: most of a small translation unit's compile time is the
# Qt and standard headers it parses (engine/domain/plan.cpp: 2.9 s without,
# 0.9 s with). antibody_precompile(<target>) gives a target the header set of
# its kind, compiled once and shared: the targets of one kind reuse one donor's
# header (REUSE_FROM), so a hundred test suites do not each compile their own.
#
# A shared header is valid only where the macros it tested are defined alike.
# Three donors serve: Core, Gui and Widgets, read off the Qt modules a target
# links. <QTest> stays out of them: it tests QT_GUI_LIB, QT_WIDGETS_LIB and
# QT_NETWORK_LIB, and Qt Test defines QT_TESTCASE_BUILDDIR as each suite's own
# folder, so a header with it could not be shared (a suite pays 0.3 s to parse
# it, a donor costs 13 s). GCC's -Winvalid-pch (which CMake passes) makes a
# mismatch an error under -Werror, never a silently slower build.
#
# The fuzz preset builds without (ANTIBODY_PCH=OFF): that build proves each
# engine file includes what it uses.
option(ANTIBODY_PCH "Precompile the Qt and standard headers" ON)

set(_antibody_pch_core
    <algorithm> <functional> <memory> <optional> <vector>
    <QByteArray> <QDateTime> <QDir> <QFile> <QFileInfo> <QHash> <QJsonArray>
    <QJsonDocument> <QJsonObject> <QList> <QMap> <QObject> <QSet> <QString>
    <QStringList> <QTimer> <QVariant>)
set(_antibody_pch_gui <QAbstractTableModel> <QColor> <QCoreApplication> <QSortFilterProxyModel>)
set(_antibody_pch_widgets
    <QApplication> <QFrame> <QHBoxLayout> <QHeaderView> <QLabel> <QPainter>
    <QPushButton> <QSplitter> <QTableView> <QVBoxLayout> <QWidget>)

# The Qt6:: modules a target's usage requirements come from, through our own
# targets (a $<LINK_ONLY:...> dependency brings no compile definitions).
function(_antibody_qt_modules target out)
    set(queue ${target})
    set(seen)
    set(modules)
    while(queue)
        list(POP_FRONT queue item)
        if(item IN_LIST seen)
            continue()
        endif()
        list(APPEND seen ${item})
        if(item MATCHES "^Qt6::")
            list(APPEND modules ${item})
        elseif(TARGET ${item})
            get_target_property(imported ${item} IMPORTED)
            if(NOT imported)
                get_target_property(links ${item} INTERFACE_LINK_LIBRARIES)
                if(item STREQUAL target)
                    get_target_property(private_links ${item} LINK_LIBRARIES)
                    list(APPEND links ${private_links})
                endif()
                foreach(link IN LISTS links)
                    if(link AND NOT link MATCHES "^\\$<")
                        list(APPEND queue ${link})
                    endif()
                endforeach()
            endif()
        endif()
    endwhile()
    list(SORT modules)
    set(${out} ${modules} PARENT_SCOPE)
endfunction()

# Deferred to the end of the folder, when every target_link_libraries() of the
# target has been read.
function(antibody_precompile)
    if(ANTIBODY_PCH)
        foreach(target IN LISTS ARGN)
            # EVAL: a deferred call reads its arguments when it runs, not now.
            cmake_language(EVAL CODE "cmake_language(DEFER CALL _antibody_precompile [[${target}]])")
        endforeach()
    endif()
endfunction()

function(_antibody_precompile target)
    _antibody_qt_modules(${target} modules)
    set(headers ${_antibody_pch_core})
    set(kind Core)
    if(modules MATCHES "Qt6::(Gui|Widgets|Charts|Svg)")
        list(APPEND headers ${_antibody_pch_gui})
        set(kind Gui)
    endif()
    if(modules MATCHES "Qt6::(Widgets|Charts|Svg)")
        list(APPEND headers ${_antibody_pch_widgets})
        set(kind Widgets)
    endif()
    set(donor antibody_pch_${kind})
    if(NOT TARGET ${donor})
        set(stub "${CMAKE_CURRENT_BINARY_DIR}/${donor}.cpp")
        file(CONFIGURE OUTPUT "${stub}" CONTENT "// The object that carries the ${kind} precompiled header.\n")
        add_library(${donor} OBJECT "${stub}")
        target_link_libraries(${donor} PRIVATE antibody_common Qt6::${kind})
        target_precompile_headers(${donor} PRIVATE ${headers})
        set_target_properties(${donor} PROPERTIES AUTOMOC OFF)
    endif()
    target_precompile_headers(${target} REUSE_FROM ${donor})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE" AND "Qt6::Test" IN_LIST modules)
        # A suite's moc output is included by its .cpp, which leaves this file
        # empty: loading the header would be its only work.
        get_target_property(autogen_dir ${target} AUTOGEN_BUILD_DIR)
        if(NOT autogen_dir)
            set(autogen_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_autogen")
        endif()
        set_source_files_properties("${autogen_dir}/mocs_compilation.cpp" PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
    endif()
endfunction()

# The arrows of docs/ARCHITECTURE.md: app -> ui -> models -> engine <- connectors,
# and engine <- simulator.
# Two checks keep them true:
#  1. at configure time, the link graph: a layer that links a forbidden library
#     (Widgets in the engine, libcurl in the models or the simulator, ...) stops cmake;
#  2. at build time, the `arrows` target scans every layer's #includes
#     (cmake/check_arrows.cmake) and fails the build on a forbidden header.

include(AntibodyLinkArrows)
antibody_check_link_arrows()

# Header names of the Qt modules the lower layers must not include, taken from
# the installed Qt itself so that no list goes stale.
get_target_property(_qt_core_includes Qt6::Core INTERFACE_INCLUDE_DIRECTORIES)
set(_qt_root "")
foreach(dir IN LISTS _qt_core_includes)
    if(dir MATCHES "/QtCore$")
        get_filename_component(_qt_root "${dir}" DIRECTORY)
    endif()
endforeach()

add_custom_target(arrows ALL
    COMMAND ${CMAKE_COMMAND}
        -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
        -DQT_INCLUDE_ROOT=${_qt_root}
        -P ${PROJECT_SOURCE_DIR}/cmake/check_arrows.cmake
    COMMENT "Checking architecture arrows (includes per layer)"
    VERBATIM)
set(ANTIBODY_QT_INCLUDE_ROOT "${_qt_root}" CACHE INTERNAL "")

# Link-graph half of the architecture check (see AntibodyArrows.cmake).
# Libraries (or antibody targets) each layer must never reach, directly or through another target.
set(_antibody_forbidden_links_antibody_engine
    Qt6::Gui Qt6::Widgets Qt6::Charts Qt6::Svg CURL::libcurl PostgreSQL::PostgreSQL
    antibody_connectors antibody_simulator antibody_models antibody_ui antibody_client)
set(_antibody_forbidden_links_antibody_connectors
    Qt6::Widgets Qt6::Charts Qt6::Svg antibody_simulator antibody_models antibody_ui)
# The simulated fleet: the engine alone. No I/O library, no other layer.
# The PostgreSQL store: the engine and the connectors' libpq connection, nothing graphical.
set(_antibody_forbidden_links_antibody_pgstore
    Qt6::Gui Qt6::Widgets Qt6::Charts Qt6::Svg antibody_simulator antibody_models antibody_ui)
set(_antibody_forbidden_links_antibody_simulator
    Qt6::Gui Qt6::Widgets Qt6::Charts Qt6::Svg CURL::libcurl PostgreSQL::PostgreSQL
    antibody_connectors antibody_models antibody_ui antibody_console antibody_process)
# The team server's parts: the engine and Qt's network modules; the connectors are wired in app/antibody-server.
set(_antibody_forbidden_links_antibody_server
    Qt6::Gui Qt6::Widgets Qt6::Charts Qt6::Svg CURL::libcurl PostgreSQL::PostgreSQL
    antibody_connectors antibody_simulator antibody_models antibody_ui)
# The models hear the engine through a link, never the network: the team server's link is client/.
set(_antibody_forbidden_links_antibody_models
    Qt6::Widgets Qt6::Charts Qt6::Svg Qt6::Network Qt6::WebSockets CURL::libcurl PostgreSQL::PostgreSQL
    antibody_connectors antibody_simulator antibody_ui antibody_client antibody_server)
# The console's link to a team server: engine, models and Qt's network modules; nothing graphical
# of its own, no connector, no simulated fleet, and not the server it talks to.
set(_antibody_forbidden_links_antibody_client
    Qt6::Widgets Qt6::Charts Qt6::Svg CURL::libcurl PostgreSQL::PostgreSQL
    antibody_connectors antibody_simulator antibody_ui antibody_server antibody_console)
set(_antibody_forbidden_links_antibody_ui
    CURL::libcurl PostgreSQL::PostgreSQL antibody_connectors antibody_simulator antibody_client antibody_server)
set(_antibody_forbidden_links_antibodyctl
    Qt6::Gui Qt6::Widgets Qt6::Charts Qt6::Svg antibody_models antibody_ui)
# app/process: what both executables need from their process; QtCore only.
set(_antibody_forbidden_links_antibody_process
    Qt6::Gui Qt6::Widgets Qt6::Charts Qt6::Svg CURL::libcurl PostgreSQL::PostgreSQL
    antibody_engine antibody_connectors antibody_simulator antibody_models antibody_ui)

function(_antibody_collect_links target out)
    set(seen "${${out}}")
    foreach(prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
        get_target_property(libs ${target} ${prop})
        if(NOT libs)
            continue()
        endif()
        foreach(lib IN LISTS libs)
            string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" lib "${lib}")
            if(lib IN_LIST seen)
                continue()
            endif()
            list(APPEND seen "${lib}")
            if(TARGET ${lib} AND lib MATCHES "^antibody")
                _antibody_collect_links(${lib} seen)
            endif()
        endforeach()
    endforeach()
    set(${out} "${seen}" PARENT_SCOPE)
endfunction()

function(antibody_check_link_arrows)
foreach(layer antibody_engine antibody_connectors antibody_pgstore antibody_simulator antibody_server antibody_models
        antibody_client antibody_ui antibodyctl antibody_process)
    if(NOT TARGET ${layer})
        continue()
    endif()
    set(reached "")
    _antibody_collect_links(${layer} reached)
    foreach(bad IN LISTS _antibody_forbidden_links_${layer})
        if(bad IN_LIST reached)
            message(FATAL_ERROR
                "Architecture arrow broken: ${layer} links ${bad}. "
                "See docs/ARCHITECTURE.md (app -> ui -> models -> engine <- connectors, engine <- simulator).")
        endif()
    endforeach()
endforeach()
endfunction()

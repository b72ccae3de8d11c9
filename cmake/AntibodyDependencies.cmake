# Every dependency is a Debian 12 package; scripts/setup installs them.
# Why each one is here: docs/ARCHITECTURE.md, "Dependencies".
find_package(Qt6 6.4 REQUIRED COMPONENTS Core)
find_package(yaml-cpp REQUIRED)
find_package(SQLite3 REQUIRED)
if(NOT ANTIBODY_ENGINE_ONLY AND NOT ANTIBODY_FUZZ)
    find_package(Qt6 6.4 REQUIRED COMPONENTS Gui Widgets Charts Svg)
    # The team server: its client API (WebSockets over TLS) and HTTP endpoints.
    find_package(Qt6 6.4 REQUIRED COMPONENTS Network WebSockets HttpServer)
    # The console's API token for a team server, kept in the desktop keyring (client/tokenkeyring).
    find_package(Qt6Keychain REQUIRED)
    find_package(CURL REQUIRED)
    find_package(PostgreSQL REQUIRED)
endif()
if(BUILD_TESTING)
    find_package(Qt6 6.4 REQUIRED COMPONENTS Test)
    if(NOT ANTIBODY_ENGINE_ONLY AND NOT ANTIBODY_FUZZ)
        # Connector tests only: the test HTTP server, fakes and fault proxy (never linked by the product).
        find_package(Qt6 6.4 REQUIRED COMPONENTS Network)
    endif()
endif()
# yaml-cpp 0.7's config exports the target as "yaml-cpp"; give it one stable name.
if(TARGET yaml-cpp AND NOT TARGET yaml-cpp::yaml-cpp)
    add_library(yaml-cpp::yaml-cpp ALIAS yaml-cpp)
endif()

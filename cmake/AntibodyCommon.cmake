# Shared compile settings: every Antibody target links antibody_common
# (as qBittorrent's CommonConfig does), so a flag is set in one place.
add_library(antibody_common INTERFACE)
target_compile_features(antibody_common INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_options(antibody_common INTERFACE -Wall -Wextra -Wpedantic)
if(ANTIBODY_WERROR)
    target_compile_options(antibody_common INTERFACE -Werror)
endif()
target_compile_definitions(antibody_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_FOREACH
    QT_NO_KEYWORDS
    ANTIBODY_VERSION="${PROJECT_VERSION}")
target_include_directories(antibody_common INTERFACE "${PROJECT_SOURCE_DIR}")

# Unity build of the layer libraries: eight files compiled as one. With the
# precompiled headers the engine still builds in a third of the CPU time (207 s
# of compile jobs, 64 s), as each batch instantiates Qt's templates once. CI's
# presets (ci, asan) turn it on; dev and fuzz compile file by file, so that a
# file that leans on a neighbour's #include or helper fails there.
option(ANTIBODY_UNITY "Compile the layer libraries in batches of eight files" OFF)
function(antibody_unity_build)
    set_target_properties(${ARGN} PROPERTIES UNITY_BUILD ${ANTIBODY_UNITY} UNITY_BUILD_BATCH_SIZE 8)
endfunction()

# The sanitizer build: AddressSanitizer + UndefinedBehaviorSanitizer, failing hard on UB.
option(ANTIBODY_SANITIZE "Build with ASan and UBSan" OFF)
if(ANTIBODY_SANITIZE)
    target_compile_options(antibody_common INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(antibody_common INTERFACE -fsanitize=address,undefined)
endif()

# The ThreadSanitizer build: the suites labelled `threads` (engine thread, worker pools,
# the console's link, the editor's workers), built alone by the `threads_suites` target.
# Debian's Qt is not instrumented: tests/tsan.supp says what that hides and why.
option(ANTIBODY_TSAN "Build with ThreadSanitizer" OFF)
if(ANTIBODY_TSAN)
    if(ANTIBODY_SANITIZE)
        message(FATAL_ERROR "ANTIBODY_TSAN and ANTIBODY_SANITIZE exclude each other: ThreadSanitizer cannot run with ASan")
    endif()
    target_compile_options(antibody_common INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
    target_link_options(antibody_common INTERFACE -fsanitize=thread)
endif()

# ccache makes the second build of the same sources cheap. Its defaults cost a
# first (cold) build 44% more, most of it running the preprocessor to hash each
# miss; depend mode hashes what the compiler's own -MD output lists instead, and
# the inode cache hashes each precompiled header once, not once per file: 4.5%.
# A compile that uses a precompiled header is cached only when ccache is told
# that __DATE__/__TIME__ and the header's defines may be trusted (the donors of
# AntibodyPrecompiled.cmake keep the defines alike).
find_program(ANTIBODY_CCACHE ccache)
if(ANTIBODY_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER
        "${CMAKE_COMMAND};-E;env;CCACHE_DEPEND=1;CCACHE_INODECACHE=1"
        "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime;${ANTIBODY_CCACHE}")
endif()

# Small helpers so that adding a test is one line.

# sanayicin_add_qtest(<name> SOURCES <files...> LIBS <targets...> [LABELS <labels...>]
#                     [FIXTURES <fixtures...>] [TIMEOUT <seconds>])
function(sanayicin_add_qtest name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS;FIXTURES" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;SANAYICIN_TEST_STATE=${SANAYICIN_TEST_STATE_DIR};SANAYICIN_DAEMON=$<TARGET_FILE:sanayicind>")
    if(ARG_LABELS)
        set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
    endif()
    if(ARG_FIXTURES)
        set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES}")
    endif()
endfunction()

# sanayicin_include_root(<target> <root-name> <folder>...)
#   Gives <target> the include root ${CMAKE_BINARY_DIR}/include/<root-name>/,
#   a folder holding only a symbolic link <folder> -> server/<folder> for
#   each folder named (those that exist), as a PUBLIC include directory. So
#   "storage/db.h" is found by a target that links the library whose root
#   holds storage/, and by nothing else: server/ itself is on no include
#   path, and an #include that points up the layers does not compile
#   (tests/layering). A quoted include of a header in the same folder still
#   finds it beside the including file.
function(sanayicin_include_root target name)
    set(_root ${CMAKE_BINARY_DIR}/include/${name})
    file(MAKE_DIRECTORY ${_root})
    # Links a former configure made for folders no longer named would keep
    # an include compiling in an old build tree that a fresh one rejects.
    # file(REMOVE) takes the link away, never what it points to.
    file(GLOB _entries LIST_DIRECTORIES true ${_root}/*)
    foreach(_entry IN LISTS _entries)
        if(IS_SYMLINK ${_entry})
            file(REMOVE ${_entry})
        endif()
    endforeach()
    foreach(folder IN LISTS ARGN)
        if(EXISTS ${PROJECT_SOURCE_DIR}/server/${folder})
            file(CREATE_LINK ${PROJECT_SOURCE_DIR}/server/${folder} ${_root}/${folder} SYMBOLIC)
        endif()
    endforeach()
    target_include_directories(${target} PUBLIC ${_root})
endfunction()

# sanayicin_layer(<layer> SOURCES <files...> [PUBLIC <targets...>] [PRIVATE <targets...>])
#   The static library sanayicin_<layer> of server/<layer>/, with its own
#   include root (above) and the links given: PUBLIC where the layer's own
#   headers include the other's, PRIVATE otherwise.
function(sanayicin_layer layer)
    cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
    add_library(sanayicin_${layer} STATIC ${ARG_SOURCES})
    sanayicin_include_root(sanayicin_${layer} ${layer} ${layer})
    target_link_libraries(sanayicin_${layer} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE})
endfunction()

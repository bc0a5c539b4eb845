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

# Builds one layering probe (tests/layering/CMakeLists.txt) and checks the
# outcome. -DBUILD_DIR -DTARGET -DHEADER -DEXPECT=fail|compile
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(EXPECT STREQUAL "compile")
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${TARGET}: ${HEADER} should compile from this layer:\n${out}")
    endif()
    message(STATUS "${TARGET}: ${HEADER} compiles, as it should")
    return()
endif()
if(rc EQUAL 0)
    message(FATAL_ERROR "${TARGET}: ${HEADER} compiled from a layer that must not see it")
endif()
# The failure must be the header not found (GCC, then clang), not anything else.
string(FIND "${out}" "${HEADER}: No such file or directory" gcc)
string(FIND "${out}" "'${HEADER}' file not found" clang)
if(gcc EQUAL -1 AND clang EQUAL -1)
    message(FATAL_ERROR "${TARGET}: failed, but not because ${HEADER} is out of reach:\n${out}")
endif()
message(STATUS "${TARGET}: ${HEADER} is out of reach, as it should be")

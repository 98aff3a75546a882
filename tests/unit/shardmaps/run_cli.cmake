# Runs shardctl with ARGS (a ;-list) and checks its exit code and combined output:
# cmake -DSHARDCTL=... -DARGS=... -DEXPECT_RC=... -DEXPECT_OUTPUT=<regex> -P run_cli.cmake
execute_process(COMMAND ${SHARDCTL} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL EXPECT_RC)
    message(FATAL_ERROR "exit code ${rc}, expected ${EXPECT_RC}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT "${out}${err}" MATCHES "${EXPECT_OUTPUT}")
    message(FATAL_ERROR "output does not match '${EXPECT_OUTPUT}'\nstdout:\n${out}\nstderr:\n${err}")
endif()

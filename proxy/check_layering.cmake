# The proxy's dependency rule (docs/architecture.md), checked on every build: which folder's
# files may include which. A violation stops the build with the file, line and rule.
#   cmake -DPROXY_DIR=proxy -DSTAMP=out/layering.ok -P check_layering.cmake
set(forbidden_net "pg/;mysql/;common/;control/")
set(forbidden_control "pg/;mysql/;common/")
set(forbidden_common "pg/;mysql/")
set(forbidden_pg "mysql/")
set(forbidden_mysql "pg/")
set(folders net control common pg mysql)

set(violations "")
foreach(folder IN LISTS folders)
    file(GLOB files ${PROXY_DIR}/${folder}/*.cpp ${PROXY_DIR}/${folder}/*.hpp)
    foreach(file IN LISTS files)
        file(STRINGS ${file} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
        foreach(line IN LISTS lines)
            string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]*)\".*" "\\1" path "${line}")
            if(path MATCHES "\\.\\./")
                list(APPEND violations
                     "${file}: #include \"${path}\": no relative includes out of a folder")
                continue()
            endif()
            foreach(prefix IN LISTS forbidden_${folder})
                string(FIND "${path}" "${prefix}" at)
                if(at EQUAL 0)
                    list(APPEND violations
                         "${file}: #include \"${path}\": proxy/${folder}/ may not include "
                         "proxy/${prefix} (docs/architecture.md, \"Dependency rule\")")
                endif()
            endforeach()
        endforeach()
    endforeach()
endforeach()

if(violations)
    list(JOIN violations "\n  " text)
    message(FATAL_ERROR "proxy layering violated:\n  ${text}")
endif()
file(WRITE ${STAMP} "ok\n")

# Run at every build (not at configure time), so that results name the commit of the code that
# made them, marked -dirty when tracked files differ from it. The header is rewritten only
# when its text changes, so an unchanged commit recompiles nothing.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(commit)
  execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes)
    string(APPEND commit "-dirty")
  endif()
else()
  set(commit "unknown")
endif()
set(text "#pragma once\n\n// Written at build time by cmake/git_commit.cmake.\nnamespace nmfbench::build_info {\ninline constexpr const char* git_commit = \"${commit}\";\n}  // namespace nmfbench::build_info\n")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUTPUT} "${text}")
endif()

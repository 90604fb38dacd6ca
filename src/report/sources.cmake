# dmasim report: the HTML page (src/cli/cmd_report.c and src/report/); the
# stylesheet and script are embedded into the tool at build time.
set(DMASIM_REPORT_ASSETS ${CMAKE_CURRENT_BINARY_DIR}/report_assets.c)
add_custom_command(OUTPUT ${DMASIM_REPORT_ASSETS}
  COMMAND ${CMAKE_COMMAND} -DOUT=${DMASIM_REPORT_ASSETS}
    "-DINPUTS=${CMAKE_CURRENT_SOURCE_DIR}/report/report.css;dmasim_report_css;${CMAKE_CURRENT_SOURCE_DIR}/report/report.js;dmasim_report_js"
    -P ${CMAKE_CURRENT_SOURCE_DIR}/report/embed.cmake
  DEPENDS report/report.css report/report.js report/embed.cmake
  COMMENT "Embedding the report's CSS and JavaScript" VERBATIM)
list(APPEND DMASIM_CLI_SOURCES
  cli/cmd_report.c
  report/html.c
  report/tree.c
  report/matrix.c
  report/suite.c
  ${DMASIM_REPORT_ASSETS}
)

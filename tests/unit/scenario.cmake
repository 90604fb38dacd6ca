dmasim_add_check(scenario)
# the command line's helpers, linked from its object library
dmasim_add_check(cli)
target_link_libraries(check_cli PRIVATE dmasim_cli_obj)

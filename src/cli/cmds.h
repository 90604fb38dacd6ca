/* dmasim -- entry points of the subcommands beyond validate and show.
 * One line per command; the table itself is in main.c. */
#ifndef DMASIM_CLI_CMDS_H
#define DMASIM_CLI_CMDS_H
int cmd_route(int argc, char **argv);
int cmd_upstream(int argc, char **argv);
int cmd_p2p(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_matrix(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_dot(int argc, char **argv);
#endif

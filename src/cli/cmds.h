/* dmasim -- entry points of the subcommands beyond validate and show.
 * One line per command; the table itself is in main.c. */
#ifndef DMASIM_CLI_CMDS_H
#define DMASIM_CLI_CMDS_H
int cmd_route(const struct cli_ctx *cli, int argc, char **argv);
int cmd_upstream(const struct cli_ctx *cli, int argc, char **argv);
int cmd_p2p(const struct cli_ctx *cli, int argc, char **argv);
int cmd_import(const struct cli_ctx *cli, int argc, char **argv);
int cmd_export(const struct cli_ctx *cli, int argc, char **argv);
int cmd_map(const struct cli_ctx *cli, int argc, char **argv);
int cmd_check(const struct cli_ctx *cli, int argc, char **argv);
int cmd_audit(const struct cli_ctx *cli, int argc, char **argv);
int cmd_matrix(const struct cli_ctx *cli, int argc, char **argv);
int cmd_diff(const struct cli_ctx *cli, int argc, char **argv);
int cmd_collect(const struct cli_ctx *cli, int argc, char **argv);
int cmd_dot(const struct cli_ctx *cli, int argc, char **argv);
int cmd_report(const struct cli_ctx *cli, int argc, char **argv);
int cmd_policy(const struct cli_ctx *cli, int argc, char **argv);
int cmd_merge(const struct cli_ctx *cli, int argc, char **argv);
#endif

/*
 * tool.h - what the siphb tool's subcommands share: exit statuses and the
 * entry point of each subcommand.
 */
#ifndef SIPHB_TOOL_H
#define SIPHB_TOOL_H

/* Exit statuses of every subcommand. */
enum {
  TOOL_EXIT_OK = 0,
  TOOL_EXIT_BAD_INPUT = 1, /* the input was malformed or too large */
  TOOL_EXIT_USAGE = 2      /* bad command line, or the input/output failed */
};

/* Each subcommand gets argv from its own name on (argv[0] is "decode"). */
int cmd_decode(int argc, char **argv);

#endif /* SIPHB_TOOL_H */

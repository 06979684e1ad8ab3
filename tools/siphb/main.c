/*
 * main.c - the siphb command-line tool: picks the subcommand, answers
 * --help and --version.
 */
#include <stdio.h>
#include <string.h>

#include <siphb/common.h>

#include "tool.h"

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
    {"decode", cmd_decode, "decode a SIP or STUN message, or frame a byte stream, to JSON"},
    {"probe", cmd_probe, "SIP OPTIONS reachability of one target, a line per round"},
    {"stun", cmd_stun, "ask a STUN server for the mapped address (Binding over UDP; --keepalive)"},
    {"crlf", cmd_crlf, "RFC 5626 CRLF keepalive of a TCP connection, a line per ping"},
    {"serve", cmd_serve, "answer SIP OPTIONS, CRLF keepalives and STUN on loopback sockets"},
    {"simulate", cmd_simulate, "run health and failover in simulated time from a timeline"},
    {"session-timer", cmd_session_timer,
     "RFC 4028 decision of a role on the peer's headers, and its timeline"},
};

static void usage(FILE *out) {
  fputs("Usage: siphb <command> [options] [arguments]\n"
        "       siphb --help | --version\n"
        "\n"
        "Commands:\n",
        out);
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-13s %s\n", commands[i].name, commands[i].summary);
  fputs("\n"
        "Run 'siphb <command> --help' for the options of a command.\n"
        "Exit status: 0 success, 1 malformed input (stun: no answer or an error\n"
        "response; probe: the last round failed; crlf, stun --keepalive: the\n"
        "flow failed), 2 usage or I/O error.\n",
        out);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return TOOL_EXIT_USAGE;
  }
  const char *arg = argv[1];
  if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "help") == 0) {
    usage(stdout);
    return fflush(stdout) == 0 ? TOOL_EXIT_OK : TOOL_EXIT_USAGE;
  }
  if (strcmp(arg, "--version") == 0) {
    printf("siphb %s\n", siphb_version());
    return fflush(stdout) == 0 ? TOOL_EXIT_OK : TOOL_EXIT_USAGE;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(arg, commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
  if (arg[0] == '-')
    fprintf(stderr, "siphb: unknown option '%s'\n", arg);
  else
    fprintf(stderr, "siphb: unknown command '%s'\n", arg);
  fputs("Run 'siphb --help' for the list of commands.\n", stderr);
  return TOOL_EXIT_USAGE;
}

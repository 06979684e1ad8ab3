/*
 * version.c - the version of the library actually linked.
 */
#include <siphb/common.h>
#include <siphb/version.h>

const char *siphb_version(void) { return SIPHB_VERSION; }

uint32_t siphb_version_number(void) { return (uint32_t)SIPHB_VERSION_NUM; }

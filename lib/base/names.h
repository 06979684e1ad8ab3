/*
 * names.h - the lookup every name function does (internal; base layer): an
 * enum value into its table of names, "?" when out of range, so that a
 * name function never returns NULL.
 */
#ifndef SIPHB_LIB_BASE_NAMES_H
#define SIPHB_LIB_BASE_NAMES_H

#define SIPHB_NAME_OF(table, v) \
  ((unsigned)(v) < sizeof(table) / sizeof((table)[0]) ? (table)[v] : "?")

#endif /* SIPHB_LIB_BASE_NAMES_H */

/* SPDX-License-Identifier: MIT */
/*
 * Ferry status codes, generated from errors.def.  A status is 0 or the
 * negative of one of these values.
 */
#ifndef FERRY_ERRORS_H
#define FERRY_ERRORS_H

enum ferry_error {
	FERRY_OK = 0,
#define X(name, value, posix, msg) name = value,
#include <ferry/errors.def>
#undef X
};

typedef int ferry_status_t;

/* Text for a (negative or positive) status; "unknown error" otherwise. */
static inline const char *
ferry_strerror(int status)
{
	if (status < 0)
		status = -status;
	switch (status) {
	case 0:
		return "ok";
#define X(name, value, posix, msg)                                                                 \
	case value:                                                                                \
		return msg;
#include <ferry/errors.def>
#undef X
	}
	return "unknown error";
}

/* The name of a status ("FERRY_EBADH") for logs and test reports. */
static inline const char *
ferry_errname(int status)
{
	if (status < 0)
		status = -status;
	switch (status) {
	case 0:
		return "FERRY_OK";
#define X(name, value, posix, msg)                                                                 \
	case value:                                                                                \
		return #name;
#include <ferry/errors.def>
#undef X
	}
	return "FERRY_E?";
}

#endif

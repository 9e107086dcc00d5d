/* SPDX-License-Identifier: MIT */
/*
 * HOST-LPSTATUS-*: the Ferry status -> errno table (status.c), checked
 * against errors.def's own third column.
 */
#include <errno.h>
#include <ferry/errors.h>
#include "libposix.h"
#include "test.h"

TEST(HOST_LPSTATUS_001, "every FERRY_E* maps to its errors.def errno")
{
#define X(name, value, posix, msg) EXPECT_EQ(__ferry_status(-(long)(value)), -(long)(posix));
#include <ferry/errors.def>
#undef X
}

TEST(HOST_LPSTATUS_002, "values and 0 pass through unchanged")
{
	EXPECT_EQ(__ferry_status(0), 0);
	EXPECT_EQ(__ferry_status(1), 1);
	EXPECT_EQ(__ferry_status(0x7fffffffffffL), 0x7fffffffffffL);
}

TEST(HOST_LPSTATUS_003, "unknown statuses become EIO")
{
	EXPECT_EQ(__ferry_status(-15), -EIO); /* a gap in errors.def */
	EXPECT_EQ(__ferry_status(-255), -EIO);
	EXPECT_EQ(__ferry_status(-100000), -EIO);
	EXPECT_EQ(__ferry_status(-0x7fffffffffffffffL - 1), -EIO);
}

TEST(HOST_LPSTATUS_004, "distinct kernel codes that mean the same to POSIX agree")
{
	EXPECT_EQ(__ferry_status(-FERRY_EBADH), -EBADF);
	EXPECT_EQ(__ferry_status(-FERRY_EWRONGTYPE), -EBADF);
	EXPECT_EQ(__ferry_status(-FERRY_EPEER), -EPIPE);
	EXPECT_EQ(__ferry_status(-FERRY_EQUOTA), -EDQUOT);
}

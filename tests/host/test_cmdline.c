/* SPDX-License-Identifier: MIT */
/* Host tests of lib/cmdline: key lookup, word ends, the to-end rule, truncation. */
#include <string.h>
#include <lib/cmdline.h>
#include "test.h"

TEST(HOST_CMDLINE_001, "finds a key among words and stops at the next space")
{
	char buf[32];
	EXPECT_TRUE(cmdline_get("a=1 first=bin/x test=kernel", "first", false, buf, sizeof(buf)) !=
	            NULL);
	EXPECT_TRUE(strcmp(buf, "bin/x") == 0);
	EXPECT_TRUE(cmdline_get("  test=kernel", "test", false, buf, sizeof(buf)) != NULL);
	EXPECT_TRUE(strcmp(buf, "kernel") == 0);
}

TEST(HOST_CMDLINE_002, "absent keys, prefixes and keys without '=' are not matches")
{
	char buf[32];
	EXPECT_TRUE(cmdline_get("firstx=1 first", "first", false, buf, sizeof(buf)) == NULL);
	EXPECT_TRUE(cmdline_get("", "first", false, buf, sizeof(buf)) == NULL);
	EXPECT_TRUE(cmdline_get("a=1", "a", false, buf, 0) == NULL);
}

TEST(HOST_CMDLINE_003, "to_end takes the rest of the line; long values are truncated")
{
	char buf[8];
	EXPECT_TRUE(cmdline_get("x=1 cmd=/bin/sh -c 'ls'", "cmd", true, buf, sizeof(buf)) != NULL);
	EXPECT_TRUE(strcmp(buf, "/bin/sh") == 0);
	char big[64];
	EXPECT_TRUE(cmdline_get("x=1 cmd=/bin/sh -c 'ls'", "cmd", true, big, sizeof(big)) != NULL);
	EXPECT_TRUE(strcmp(big, "/bin/sh -c 'ls'") == 0);
	EXPECT_TRUE(cmdline_get("k=", "k", false, big, sizeof(big)) != NULL);
	EXPECT_TRUE(big[0] == 0);
}

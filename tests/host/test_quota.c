/* SPDX-License-Identifier: MIT */
/*
 * Host tests of kernel/mm/quota.c: all-or-nothing charges, release, and
 * bug reports for negative amounts or over-release.
 */
#include <stdint.h>
#include <ferry/errors.h>
#include <mm/quota.h>
#include "mm_hooks.h"
#include "test.h"

TEST(HOST_QUOTA_001, "charges up to the limit succeed, beyond fail with EQUOTA")
{
	struct quota q;

	mm_bug_reset();
	quota_init(&q, 1000);
	EXPECT_EQ(q.used, 0);
	EXPECT_STATUS(quota_charge(&q, 600), 0);
	EXPECT_STATUS(quota_charge(&q, 400), 0);
	EXPECT_EQ(quota_left(&q), 0);
	EXPECT_STATUS(quota_charge(&q, 1), -FERRY_EQUOTA);
	EXPECT_STATUS(quota_charge(&q, 0), 0);
	EXPECT_EQ(q.used, 1000);
}

TEST(HOST_QUOTA_002, "a failed charge charges nothing")
{
	struct quota q;

	mm_bug_reset();
	quota_init(&q, 100);
	EXPECT_STATUS(quota_charge(&q, 60), 0);
	EXPECT_STATUS(quota_charge(&q, 41), -FERRY_EQUOTA);
	EXPECT_EQ(q.used, 60);
	EXPECT_STATUS(quota_charge(&q, INT64_MAX), -FERRY_EQUOTA);
	EXPECT_EQ(q.used, 60);
	EXPECT_STATUS(quota_charge(&q, 40), 0);
}

TEST(HOST_QUOTA_003, "release returns room")
{
	struct quota q;

	mm_bug_reset();
	quota_init(&q, 100);
	EXPECT_STATUS(quota_charge(&q, 100), 0);
	quota_release(&q, 30);
	EXPECT_EQ(q.used, 70);
	EXPECT_STATUS(quota_charge(&q, 30), 0);
	quota_release(&q, 100);
	EXPECT_EQ(q.used, 0);
	EXPECT_EQ(mm_bug_calls, 0);
}

TEST(HOST_QUOTA_004, "extreme limits do not overflow")
{
	struct quota q;

	mm_bug_reset();
	quota_init(&q, INT64_MAX);
	EXPECT_STATUS(quota_charge(&q, INT64_MAX - 1), 0);
	EXPECT_STATUS(quota_charge(&q, 2), -FERRY_EQUOTA);
	EXPECT_STATUS(quota_charge(&q, 1), 0);
	EXPECT_STATUS(quota_charge(&q, INT64_MAX), -FERRY_EQUOTA);
	quota_init(&q, 0);
	EXPECT_STATUS(quota_charge(&q, 1), -FERRY_EQUOTA);
	EXPECT_STATUS(quota_charge(&q, 0), 0);
}

TEST(HOST_QUOTA_005, "negative amounts and over-release are reported")
{
	struct quota q;

	mm_bug_reset();
	mm_bug_allowed = 1;
	quota_init(&q, 100);
	EXPECT_STATUS(quota_charge(&q, -5), -FERRY_EINVAL);
	EXPECT_EQ(mm_bug_calls, 1);
	EXPECT_EQ(q.used, 0);
	EXPECT_STATUS(quota_charge(&q, 50), 0);
	quota_release(&q, -1);
	EXPECT_EQ(mm_bug_calls, 2);
	EXPECT_EQ(q.used, 50);
	quota_release(&q, 51);
	EXPECT_EQ(mm_bug_calls, 3);
	EXPECT_EQ(q.used, 0);
	quota_init(&q, -1);
	EXPECT_EQ(mm_bug_calls, 4);
	EXPECT_EQ(q.limit, 0);
}

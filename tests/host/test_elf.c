/* SPDX-License-Identifier: MIT */
/*
 * Host tests of lib/elf: a small valid executable is built in memory, then
 * each malformed or unsupported variant is derived from it and must get
 * the right status.  A fuzz loop flips random bytes of the valid image and
 * checks that the parser never misbehaves (run under ASan and UBSan) and
 * that whatever it accepts satisfies the documented invariants.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <lib/elf.h>
#include "test.h"

#define IMG_SIZE 0x2000
#define TEXT_VA  0x400000ull
#define DATA_VA  0x402000ull
#define ENTRY    0x400100ull

/* Image buffer, 8-byte aligned so tests can edit headers in place. */
static uint64_t img_words[IMG_SIZE / 8];
static unsigned char *const img = (unsigned char *)img_words;

static struct elf64_ehdr *
eh(void)
{
	return (struct elf64_ehdr *)img;
}

static struct elf64_phdr *
ph(unsigned i)
{
	return (struct elf64_phdr *)(img + sizeof(struct elf64_ehdr)) + i;
}

static void
set_ph(unsigned i, uint32_t type, uint32_t flags, uint64_t off, uint64_t va, uint64_t filesz,
       uint64_t memsz, uint64_t align)
{
	struct elf64_phdr *p = ph(i);

	p->p_type = type;
	p->p_flags = flags;
	p->p_offset = off;
	p->p_vaddr = va;
	p->p_paddr = va;
	p->p_filesz = filesz;
	p->p_memsz = memsz;
	p->p_align = align;
}

/*
 * The valid base image: text (R+X) covering the first page including the
 * headers, data (R+W) with a .bss tail, and a non-executable stack note.
 */
static void
build(void)
{
	memset(img, 0, IMG_SIZE);
	memcpy(eh()->e_ident,
	       "\x7f"
	       "ELF",
	       4);
	eh()->e_ident[ELF_EI_CLASS] = ELF_CLASS64;
	eh()->e_ident[ELF_EI_DATA] = ELF_DATA2LSB;
	eh()->e_ident[ELF_EI_VERSION] = ELF_EV_CURRENT;
	eh()->e_type = ELF_ET_EXEC;
	eh()->e_machine = ELF_EM_X86_64;
	eh()->e_version = ELF_EV_CURRENT;
	eh()->e_entry = ENTRY;
	eh()->e_phoff = sizeof(struct elf64_ehdr);
	eh()->e_ehsize = sizeof(struct elf64_ehdr);
	eh()->e_phentsize = sizeof(struct elf64_phdr);
	eh()->e_phnum = 3;
	set_ph(0, ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0, TEXT_VA, 0x1000, 0x1000, 0x1000);
	set_ph(1, ELF_PT_LOAD, ELF_PF_R | ELF_PF_W, 0x1000, DATA_VA, 0x100, 0x3000, 0x1000);
	set_ph(2, ELF_PT_GNU_STACK, ELF_PF_R | ELF_PF_W, 0, 0, 0, 0, 16);
}

static int
parse(size_t size, struct elf_info *info)
{
	return elf_parse(img, size, info);
}

static int
parse_img(void)
{
	struct elf_info info;

	return parse(IMG_SIZE, &info);
}

TEST(HOST_ELF_001, "a valid static executable is described exactly")
{
	struct elf_info info;

	build();
	ASSERT_EQ(parse(IMG_SIZE, &info), 0);
	EXPECT_EQ(info.entry, ENTRY);
	EXPECT_EQ(info.is_pie, 0);
	ASSERT_EQ(info.nseg, 2);
	EXPECT_EQ(info.seg[0].vaddr, TEXT_VA);
	EXPECT_EQ(info.seg[0].memsz, 0x1000);
	EXPECT_EQ(info.seg[0].offset, 0);
	EXPECT_EQ(info.seg[0].filesz, 0x1000);
	EXPECT_EQ(info.seg[0].prot, FERRY_PROT_READ | FERRY_PROT_EXEC);
	EXPECT_EQ(info.seg[1].vaddr, DATA_VA);
	EXPECT_EQ(info.seg[1].memsz, 0x3000);
	EXPECT_EQ(info.seg[1].filesz, 0x100);
	EXPECT_EQ(info.seg[1].prot, FERRY_PROT_READ | FERRY_PROT_WRITE);
	EXPECT_EQ(info.lo, TEXT_VA);
	EXPECT_EQ(info.hi, DATA_VA + 0x3000);
	EXPECT_EQ(info.phdr_vaddr, TEXT_VA + sizeof(struct elf64_ehdr));
	EXPECT_EQ(info.phnum, 3);
	EXPECT_EQ(info.phentsize, sizeof(struct elf64_phdr));
	EXPECT_EQ(info.tls.present, 0);
	EXPECT_EQ(info.stack_prot, FERRY_PROT_READ | FERRY_PROT_WRITE);
}

TEST(HOST_ELF_002, "ET_DYN is a PIE with unbiased addresses")
{
	struct elf_info info;

	build();
	eh()->e_type = ELF_ET_DYN;
	ph(0)->p_vaddr = 0;
	ph(1)->p_vaddr = 0x2000;
	eh()->e_entry = 0x100;
	ASSERT_EQ(parse(IMG_SIZE, &info), 0);
	EXPECT_EQ(info.is_pie, 1);
	EXPECT_EQ(info.lo, 0);
	EXPECT_EQ(info.hi, 0x5000);
	EXPECT_EQ(info.entry, 0x100);
}

TEST(HOST_ELF_003, "truncated images are ENOEXEC")
{
	struct elf_info info;

	build();
	EXPECT_STATUS(elf_parse(NULL, IMG_SIZE, &info), -FERRY_ENOEXEC);
	EXPECT_STATUS(parse(0, &info), -FERRY_ENOEXEC);
	EXPECT_STATUS(parse(63, &info), -FERRY_ENOEXEC);
	/* Header complete, program headers cut. */
	EXPECT_STATUS(parse(64 + 3 * 56 - 1, &info), -FERRY_ENOEXEC);
	/* Program headers complete, segment contents cut. */
	EXPECT_STATUS(parse(0x1000 + 0x100 - 1, &info), -FERRY_ENOEXEC);
	EXPECT_STATUS(parse(0x1000 + 0x100, &info), 0);
}

TEST(HOST_ELF_004, "bad magic is ENOEXEC")
{
	for (int i = 0; i < 4; i++) {
		build();
		img[i] ^= 0x20;
		EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	}
}

TEST(HOST_ELF_005, "32-bit class, big-endian data and bad versions are ENOEXEC")
{
	build();
	eh()->e_ident[ELF_EI_CLASS] = 1;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_ident[ELF_EI_DATA] = 2;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_ident[ELF_EI_VERSION] = 0;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_version = 2;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
}

TEST(HOST_ELF_006, "other machines and file types are ENOEXEC")
{
	build();
	eh()->e_machine = 3; /* i386 */
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_type = 1; /* relocatable object */
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_type = 4; /* core */
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
}

TEST(HOST_ELF_007, "wrong phentsize or no program headers is ENOEXEC")
{
	build();
	eh()->e_phentsize = 32;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_phentsize = 64;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_phnum = 0;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
}

TEST(HOST_ELF_008, "program header table offsets that overflow or pass the end are ENOEXEC")
{
	build();
	eh()->e_phoff = UINT64_MAX - 8;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_phoff = IMG_SIZE;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_phoff = IMG_SIZE - 2 * 56; /* table of 3 runs one entry past */
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
}

TEST(HOST_ELF_009, "filesz larger than memsz is ENOEXEC")
{
	build();
	ph(1)->p_filesz = 0x3001;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
}

TEST(HOST_ELF_010, "segment contents beyond the file are ENOEXEC")
{
	build();
	ph(1)->p_filesz = IMG_SIZE; /* 0x1000 + 0x2000 > size */
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	ph(1)->p_offset = UINT64_MAX - 0x0fff; /* congruent, wraps when filesz is added */
	ph(1)->p_vaddr = DATA_VA;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
}

TEST(HOST_ELF_011, "kernel-half and wrapping addresses are ENOEXEC")
{
	build();
	ph(1)->p_vaddr = 0xffff800000000000ull;
	ph(1)->p_offset = 0x1000;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	ph(1)->p_vaddr = ELF_USER_TOP - 0x1000; /* memsz 0x3000 crosses the top */
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	ph(1)->p_vaddr = UINT64_MAX & ~0xfffull;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	ph(1)->p_vaddr = ELF_USER_TOP - 0x3000; /* ends exactly at the top: fine */
	EXPECT_STATUS(parse_img(), 0);
}

TEST(HOST_ELF_012, "no PT_LOAD is ENOEXEC")
{
	build();
	ph(0)->p_type = ELF_PT_NOTE;
	ph(1)->p_type = ELF_PT_NULL;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	ph(0)->p_memsz = ph(0)->p_filesz = 0; /* empty loads do not count */
	ph(1)->p_memsz = ph(1)->p_filesz = 0;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
}

TEST(HOST_ELF_013, "entry outside executable segments is ENOEXEC")
{
	build();
	eh()->e_entry = TEXT_VA + 0x1000; /* one past the text */
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_entry = DATA_VA + 8; /* mapped but not executable */
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_entry = 0;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	eh()->e_entry = TEXT_VA; /* first byte is fine */
	EXPECT_STATUS(parse_img(), 0);
}

TEST(HOST_ELF_014, "PT_INTERP is ENOTSUP")
{
	build();
	ph(2)->p_type = ELF_PT_INTERP;
	EXPECT_STATUS(parse_img(), -FERRY_ENOTSUP);
	/* ... but a malformed file with an interpreter is still ENOEXEC. */
	ph(1)->p_filesz = 0x4000;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
}

TEST(HOST_ELF_015, "too many segments or program headers is ENOTSUP")
{
	struct elf_info info;

	build();
	eh()->e_phnum = ELF_MAX_SEGS;
	for (unsigned i = 0; i < ELF_MAX_SEGS; i++)
		set_ph(i, ELF_PT_LOAD, ELF_PF_R | ELF_PF_X, 0, TEXT_VA + i * 0x2000ull, 0x1000,
		       0x1000, 0x1000);
	ASSERT_EQ(parse(IMG_SIZE, &info), 0);
	EXPECT_EQ(info.nseg, ELF_MAX_SEGS);
	eh()->e_phnum = ELF_MAX_SEGS + 1;
	set_ph(ELF_MAX_SEGS, ELF_PT_LOAD, ELF_PF_R, 0, TEXT_VA + ELF_MAX_SEGS * 0x2000ull, 0x1000,
	       0x1000, 0x1000);
	EXPECT_STATUS(parse_img(), -FERRY_ENOTSUP);

	build();
	eh()->e_phnum = ELF_MAX_PHNUM + 1;
	EXPECT_STATUS(parse_img(), -FERRY_ENOTSUP);
	build();
	eh()->e_phnum = ELF_PN_XNUM;
	EXPECT_STATUS(parse_img(), -FERRY_ENOTSUP);
}

TEST(HOST_ELF_016, "alignment: non power of two or incongruent offset is ENOEXEC")
{
	build();
	ph(1)->p_align = 0x1800;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	ph(1)->p_vaddr = DATA_VA + 0x10; /* offset 0x1000 % 0x1000 != 0x10 */
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	ph(1)->p_vaddr = DATA_VA + 0x10;
	ph(1)->p_align = 1; /* no constraint */
	EXPECT_STATUS(parse_img(), 0);
	build();
	ph(1)->p_align = 0;
	EXPECT_STATUS(parse_img(), 0);
}

TEST(HOST_ELF_017, "overlapping or descending PT_LOADs are ENOEXEC")
{
	build();
	ph(1)->p_vaddr = TEXT_VA; /* on top of the text, congruent */
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	ph(1)->p_vaddr = TEXT_VA - 0x10000;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	build();
	ph(1)->p_vaddr = TEXT_VA + 0x1000; /* directly adjacent is fine */
	EXPECT_STATUS(parse_img(), 0);
}

TEST(HOST_ELF_018, "PT_TLS is recorded and checked")
{
	struct elf_info info;

	build();
	eh()->e_phnum = 4;
	set_ph(3, ELF_PT_TLS, ELF_PF_R, 0x1010, DATA_VA + 0x10, 0x20, 0x80, 16);
	ASSERT_EQ(parse(IMG_SIZE, &info), 0);
	EXPECT_EQ(info.tls.present, 1);
	EXPECT_EQ(info.tls.vaddr, DATA_VA + 0x10);
	EXPECT_EQ(info.tls.filesz, 0x20);
	EXPECT_EQ(info.tls.memsz, 0x80);
	EXPECT_EQ(info.tls.align, 16);
	ph(3)->p_filesz = 0x81;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	ph(3)->p_filesz = 0x20;
	ph(3)->p_offset = IMG_SIZE - 0x10;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	ph(3)->p_offset = 0x1010;
	ph(3)->p_align = 24;
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
	ph(3)->p_align = 16;
	eh()->e_phnum = 5;
	*ph(4) = *ph(3); /* a second TLS segment */
	EXPECT_STATUS(parse_img(), -FERRY_ENOEXEC);
}

TEST(HOST_ELF_019, "PT_GNU_STACK and PT_PHDR are reported")
{
	struct elf_info info;

	build();
	ph(2)->p_flags = ELF_PF_R | ELF_PF_W | ELF_PF_X;
	ASSERT_EQ(parse(IMG_SIZE, &info), 0);
	EXPECT_EQ(info.stack_prot, FERRY_PROT_READ | FERRY_PROT_WRITE | FERRY_PROT_EXEC);

	build();
	eh()->e_phnum = 4;
	set_ph(3, ELF_PT_PHDR, ELF_PF_R, 64, TEXT_VA + 64, 4 * 56, 4 * 56, 8);
	ASSERT_EQ(parse(IMG_SIZE, &info), 0);
	EXPECT_EQ(info.phdr_vaddr, TEXT_VA + 64);

	/* Headers outside every loaded file range: no AT_PHDR. */
	build();
	memmove(img + 0x1800, img + 64, 3 * 56);
	eh()->e_phoff = 0x1800;
	ASSERT_EQ(parse(IMG_SIZE, &info), 0);
	EXPECT_EQ(info.phdr_vaddr, 0);
}

TEST(HOST_ELF_020, "fixed-address executable mapping page zero is ENOTSUP")
{
	build();
	ph(0)->p_vaddr = 0;
	eh()->e_entry = 0x100;
	EXPECT_STATUS(parse_img(), -FERRY_ENOTSUP);
}

TEST(HOST_ELF_021, "a misaligned image pointer parses the same")
{
	static uint64_t shifted[IMG_SIZE / 8 + 1];
	struct elf_info a, b;

	build();
	memcpy((unsigned char *)shifted + 1, img, IMG_SIZE);
	ASSERT_EQ(parse(IMG_SIZE, &a), 0);
	ASSERT_EQ(elf_parse((unsigned char *)shifted + 1, IMG_SIZE, &b), 0);
	EXPECT_MEM_EQ(&a, &b, sizeof(a));
}

/* xorshift64*: deterministic so a failure reproduces. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

TEST(HOST_ELF_022, "fuzz: random corruption never crashes and accepted images are sane")
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	struct elf_info info;
	unsigned accepted = 0;

	for (int iter = 0; iter < 20000; iter++) {
		size_t size = IMG_SIZE;
		int flips = 1 + (int)(rnd(&seed) % 8);
		int r;

		build();
		eh()->e_phnum = 4;
		set_ph(3, ELF_PT_TLS, ELF_PF_R, 0x1010, DATA_VA + 0x10, 0x20, 0x80, 16);
		for (int f = 0; f < flips; f++) {
			/* Mostly hit the headers, where the parser looks. */
			size_t at = rnd(&seed) % (rnd(&seed) & 1 ? 64 + 4 * 56 : IMG_SIZE);

			img[at] ^= (unsigned char)(1u << (rnd(&seed) % 8));
			if (rnd(&seed) % 4 == 0)
				img[at] = (unsigned char)rnd(&seed);
		}
		if (rnd(&seed) % 8 == 0)
			size = rnd(&seed) % IMG_SIZE;
		r = parse(size, &info);
		if (r != 0 && r != -FERRY_ENOEXEC && r != -FERRY_ENOTSUP) {
			EXPECT_STATUS(r, -FERRY_ENOEXEC);
			return;
		}
		if (r != 0)
			continue;
		accepted++;
		ASSERT_TRUE(info.nseg >= 1 && info.nseg <= ELF_MAX_SEGS);
		int entry_ok = 0;
		for (unsigned i = 0; i < info.nseg; i++) {
			const struct elf_seg *s = &info.seg[i];

			ASSERT_TRUE(s->filesz <= s->memsz);
			ASSERT_TRUE(s->offset <= size && s->filesz <= size - s->offset);
			ASSERT_TRUE(s->vaddr < ELF_USER_TOP && s->memsz <= ELF_USER_TOP - s->vaddr);
			ASSERT_TRUE(s->vaddr >= info.lo && s->vaddr + s->memsz <= info.hi);
			if (i)
				ASSERT_TRUE(s->vaddr >=
				            info.seg[i - 1].vaddr + info.seg[i - 1].memsz);
			if ((s->prot & FERRY_PROT_EXEC) && info.entry >= s->vaddr &&
			    info.entry - s->vaddr < s->memsz)
				entry_ok = 1;
		}
		ASSERT_TRUE(entry_ok);
	}
	/* The mutations must leave some images valid, or the loop tests little. */
	EXPECT_GT(accepted, 100);
}

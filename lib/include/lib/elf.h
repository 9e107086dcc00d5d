/* SPDX-License-Identifier: MIT */
/*
 * ELF64 executable images: the on-disk layout (our own definitions, only
 * what the loader needs) and a validating parser that turns a hostile
 * image into a loading plan.  The parser only reads the image; mapping
 * segments, applying a PIE load bias and building the initial stack are
 * the loader's job.
 */
#ifndef LIB_ELF_H
#define LIB_ELF_H

#include <stddef.h>
#include <stdint.h>

/* e_ident */
#define ELF_EI_NIDENT  16
#define ELF_EI_CLASS   4
#define ELF_EI_DATA    5
#define ELF_EI_VERSION 6
#define ELF_CLASS64    2
#define ELF_DATA2LSB   1
#define ELF_EV_CURRENT 1

/* e_type, e_machine */
#define ELF_ET_EXEC   2
#define ELF_ET_DYN    3
#define ELF_EM_X86_64 62

/* p_type */
#define ELF_PT_NULL      0
#define ELF_PT_LOAD      1
#define ELF_PT_DYNAMIC   2
#define ELF_PT_INTERP    3
#define ELF_PT_NOTE      4
#define ELF_PT_PHDR      6
#define ELF_PT_TLS       7
#define ELF_PT_GNU_STACK 0x6474e551u

/* p_flags */
#define ELF_PF_X 0x1
#define ELF_PF_W 0x2
#define ELF_PF_R 0x4

/* e_phnum value meaning "the real count is elsewhere" (not supported). */
#define ELF_PN_XNUM 0xffff

struct elf64_ehdr {
	uint8_t e_ident[ELF_EI_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 file header");

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header");

/* Limits of what the parser accepts. */
#define ELF_MAX_SEGS  16                    /* PT_LOAD entries with memsz > 0 */
#define ELF_MAX_PHNUM 64                    /* program headers of any type */
#define ELF_USER_TOP  0x0000800000000000ull /* first address above the user half */
#define ELF_PAGE_SIZE 4096ull

/* One loadable segment, already validated. */
struct elf_seg {
	uint64_t vaddr, memsz;   /* [vaddr, vaddr + memsz) in memory */
	uint64_t offset, filesz; /* [offset, offset + filesz) of the image; the rest is zero */
	uint32_t prot;           /* FERRY_PROT_* (READ 1, WRITE 2, EXEC 4) */
};

struct elf_info {
	uint64_t entry;
	int is_pie; /* ET_DYN: every address below needs the load bias added */
	unsigned nseg;
	struct elf_seg seg[ELF_MAX_SEGS]; /* ascending, non-overlapping */
	uint64_t lo, hi;                  /* page-rounded span of all segments: [lo, hi) */
	uint64_t
	        phdr_vaddr; /* where the program headers are in memory (AT_PHDR), 0 if not loaded */
	uint16_t phnum, phentsize;
	struct {
		uint64_t vaddr, filesz, memsz, align;
		int present;
	} tls;
	uint32_t stack_prot; /* PT_GNU_STACK's FERRY_PROT_*; READ|WRITE when absent */
};

/*
 * Validate the ELF64 image[size] and describe how to load it in *out.
 * Returns 0, -FERRY_ENOEXEC if the image is malformed or not an x86_64
 * executable, or -FERRY_ENOTSUP if it is well-formed but needs something
 * Ferry does not offer (an interpreter, extended program-header
 * numbering, more than ELF_MAX_SEGS segments).  Every offset and size is
 * checked against size without overflow, so any bytes may be passed.
 * Checks for a PIE apply to the unbiased addresses: the loader must
 * re-check lo + bias and hi + bias against the user half.
 */
int elf_parse(const void *image, size_t size, struct elf_info *out)
        __attribute__((warn_unused_result));

#endif

/* SPDX-License-Identifier: MIT */
/*
 * ELF64 image validation (see lib/include/lib/elf.h).  The image comes
 * from whoever asked for exec, so it is treated as hostile: every field is
 * range-checked before use, every sum is checked for overflow, and headers
 * are copied out with memcpy because the image may be misaligned.  The
 * parser decides "malformed" (ENOEXEC) before "unsupported" (ENOTSUP), so
 * a broken file never passes for a merely unusual one.
 */
#include <stdbool.h>
#include <ferry/errors.h>
#include <ferry/syscall.h>
#include <lib/elf.h>
#include <lib/string.h>

static uint32_t
prot_of(uint32_t pflags)
{
	uint32_t prot = 0;

	if (pflags & ELF_PF_R)
		prot |= FERRY_PROT_READ;
	if (pflags & ELF_PF_W)
		prot |= FERRY_PROT_WRITE;
	if (pflags & ELF_PF_X)
		prot |= FERRY_PROT_EXEC;
	return prot;
}

/* [off, off + len) lies inside a buffer of size bytes. */
static bool
in_file(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

/* [va, va + len) lies inside the user half. */
static bool
in_user(uint64_t va, uint64_t len)
{
	return va <= ELF_USER_TOP && len <= ELF_USER_TOP - va;
}

static bool
pow2_or_zero(uint64_t x)
{
	return (x & (x - 1)) == 0;
}

static int
check_header(const struct elf64_ehdr *eh, size_t size)
{
	static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};

	if (memcmp(eh->e_ident, magic, sizeof(magic)) != 0 ||
	    eh->e_ident[ELF_EI_CLASS] != ELF_CLASS64 || eh->e_ident[ELF_EI_DATA] != ELF_DATA2LSB ||
	    eh->e_ident[ELF_EI_VERSION] != ELF_EV_CURRENT || eh->e_version != ELF_EV_CURRENT)
		return -FERRY_ENOEXEC;
	if (eh->e_machine != ELF_EM_X86_64)
		return -FERRY_ENOEXEC;
	if (eh->e_type != ELF_ET_EXEC && eh->e_type != ELF_ET_DYN)
		return -FERRY_ENOEXEC;
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0)
		return -FERRY_ENOEXEC;
	if (eh->e_phnum == ELF_PN_XNUM || eh->e_phnum > ELF_MAX_PHNUM)
		return -FERRY_ENOTSUP;
	if (!in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr), size))
		return -FERRY_ENOEXEC;
	return 0;
}

/*
 * Validate one PT_LOAD and append it.  Segments must ascend and must not
 * overlap in memory (they may share a page; the loader merges the
 * protections of a shared page).
 */
static int
add_load(struct elf_info *out, const struct elf64_phdr *ph, size_t size, bool *too_many)
{
	struct elf_seg *s;

	if (ph->p_filesz > ph->p_memsz || !in_file(ph->p_offset, ph->p_filesz, size))
		return -FERRY_ENOEXEC;
	if (!in_user(ph->p_vaddr, ph->p_memsz))
		return -FERRY_ENOEXEC;
	if (!pow2_or_zero(ph->p_align))
		return -FERRY_ENOEXEC;
	if (ph->p_align > 1 && ph->p_vaddr % ph->p_align != ph->p_offset % ph->p_align)
		return -FERRY_ENOEXEC;
	if (ph->p_memsz == 0)
		return 0; /* maps nothing; harmless, so ignored */
	if (out->nseg > 0) {
		const struct elf_seg *prev = &out->seg[out->nseg - 1];

		if (ph->p_vaddr < prev->vaddr + prev->memsz)
			return -FERRY_ENOEXEC;
	}
	if (out->nseg == ELF_MAX_SEGS) {
		/* Keep validating the rest so malformed still wins. */
		*too_many = true;
		return 0;
	}
	s = &out->seg[out->nseg++];
	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->offset = ph->p_offset;
	s->filesz = ph->p_filesz;
	s->prot = prot_of(ph->p_flags);
	return 0;
}

static int
add_tls(struct elf_info *out, const struct elf64_phdr *ph, size_t size)
{
	if (out->tls.present)
		return -FERRY_ENOEXEC;
	if (ph->p_filesz > ph->p_memsz || !in_file(ph->p_offset, ph->p_filesz, size) ||
	    !in_user(ph->p_vaddr, ph->p_memsz) || !pow2_or_zero(ph->p_align))
		return -FERRY_ENOEXEC;
	out->tls.present = 1;
	out->tls.vaddr = ph->p_vaddr;
	out->tls.filesz = ph->p_filesz;
	out->tls.memsz = ph->p_memsz;
	out->tls.align = ph->p_align ? ph->p_align : 1;
	return 0;
}

/* The program headers' address in memory if a PT_LOAD maps them from the file. */
static uint64_t
phdr_in_memory(const struct elf_info *out, uint64_t phoff, uint64_t len)
{
	for (unsigned i = 0; i < out->nseg; i++) {
		const struct elf_seg *s = &out->seg[i];

		if (phoff >= s->offset && phoff - s->offset <= s->filesz &&
		    len <= s->filesz - (phoff - s->offset))
			return s->vaddr + (phoff - s->offset);
	}
	return 0;
}

int
elf_parse(const void *image, size_t size, struct elf_info *out)
{
	const unsigned char *base = image;
	struct elf64_ehdr eh;
	bool has_interp = false, has_phdr = false, too_many = false;
	uint64_t phdr_va = 0;
	int err;

	memset(out, 0, sizeof(*out));
	out->stack_prot = FERRY_PROT_READ | FERRY_PROT_WRITE;
	if (image == NULL || size < sizeof(eh))
		return -FERRY_ENOEXEC;
	memcpy(&eh, base, sizeof(eh));
	err = check_header(&eh, size);
	if (err)
		return err;

	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, base + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case ELF_PT_LOAD:
			err = add_load(out, &ph, size, &too_many);
			break;
		case ELF_PT_TLS:
			err = add_tls(out, &ph, size);
			break;
		case ELF_PT_INTERP:
			has_interp = true;
			break;
		case ELF_PT_PHDR:
			if (has_phdr)
				err = -FERRY_ENOEXEC;
			has_phdr = true;
			phdr_va = ph.p_vaddr;
			break;
		case ELF_PT_GNU_STACK:
			out->stack_prot = prot_of(ph.p_flags);
			break;
		default:
			break;
		}
		if (err)
			return err;
	}
	if (out->nseg == 0)
		return -FERRY_ENOEXEC;

	/* The entry point must be code we are about to map. */
	err = -FERRY_ENOEXEC;
	for (unsigned i = 0; i < out->nseg; i++) {
		const struct elf_seg *s = &out->seg[i];

		if ((s->prot & FERRY_PROT_EXEC) && eh.e_entry >= s->vaddr &&
		    eh.e_entry - s->vaddr < s->memsz)
			err = 0;
	}
	if (err)
		return err;

	if (has_interp || too_many)
		return -FERRY_ENOTSUP;

	out->entry = eh.e_entry;
	out->is_pie = eh.e_type == ELF_ET_DYN;
	out->phnum = eh.e_phnum;
	out->phentsize = eh.e_phentsize;
	out->lo = out->seg[0].vaddr & ~(ELF_PAGE_SIZE - 1);
	/* Cannot overflow: every segment ends at or below ELF_USER_TOP. */
	out->hi = (out->seg[out->nseg - 1].vaddr + out->seg[out->nseg - 1].memsz + ELF_PAGE_SIZE -
	           1) &
	          ~(ELF_PAGE_SIZE - 1);
	/* A fixed-address program may not map the page at address zero. */
	if (!out->is_pie && out->lo < ELF_PAGE_SIZE)
		return -FERRY_ENOTSUP;
	out->phdr_vaddr =
	        has_phdr ? phdr_va
	                 : phdr_in_memory(out, eh.e_phoff,
	                                  (uint64_t)eh.e_phnum * sizeof(struct elf64_phdr));
	return 0;
}

/* dmasim tests -- the IOVA allocator (drivers/iommu/iova.c), white box. */
#include <string.h>

#include "testutil.h"
#include "dma/iova.h"

#define SHIFT 12

/* Fixture: a 4 KiB-granule domain from pfn 1 (iommu_dma_init_domain) with
 * the x86 MSI window reserved (iova_reserve_iommu_regions). */
static struct dmasim__iovad D;

static void setup(void)
{
	ck_assert_int_eq(dmasim__iovad_init(&D, 4096, 1), 0);
	ck_assert_int_eq(dmasim__iova_reserve(&D, 0xfee00, 0xfeeff), 0);
}

static void teardown(void)
{
	dmasim__iovad_fini(&D);
}

/* iommu_dma_alloc_iova() with the PCI 32-bit-first workaround (sticky). */
static uint64_t dma_alloc(uint64_t bytes, uint64_t dma_limit, bool *pci32)
{
	uint64_t len = bytes >> SHIFT, pfn;

	if (dma_limit > 0xffffffffull && *pci32) {
		pfn = dmasim__iova_alloc_fast(&D, len, 0xffffffffull >> SHIFT, false);
		if (pfn)
			return pfn << SHIFT;
		*pci32 = false;
	}
	return dmasim__iova_alloc_fast(&D, len, dma_limit >> SHIFT, true) << SHIFT;
}

/* iommu_dma_free_iova() -> free_iova_fast() with the unrounded size. */
static void dma_free(uint64_t iova, uint64_t bytes)
{
	dmasim__iova_free_fast(&D, iova >> SHIFT, bytes >> SHIFT);
}

START_TEST(test_iova_kernel_observed_sequence)
{
	/* "IOVA reuse after unmap" (drivers/iommu/iova.c free_iova_fast): seen on a 6.1 kernel with
	 * iommu.strict=1 (alloc_iova_fast / free_iova_fast). */
	bool pci32 = true;
	const uint64_t lim = ~0ull >> 16; /* 48-bit */

	ck_assert_uint_eq(dma_alloc(4096, lim, &pci32), 0xfffff000);
	ck_assert_uint_eq(dma_alloc(4096, lim, &pci32), 0xffffe000);
	ck_assert_uint_eq(dma_alloc(4096, lim, &pci32), 0xffffd000);
	dma_free(0xffffe000, 4096);
	ck_assert_uint_eq(dma_alloc(4096, lim, &pci32), 0xffffe000);
	ck_assert_uint_eq(dma_alloc(8192, lim, &pci32), 0xffffa000);
	dma_free(0xfffff000, 4096);
	ck_assert_uint_eq(dma_alloc(4096, lim, &pci32), 0xfffff000);
	ck_assert_uint_eq(dma_alloc(4096, lim, &pci32), 0xffff9000);
	ck_assert_uint_eq(dma_alloc(8192, lim, &pci32), 0xffff6000);
	ck_assert(pci32);
}
END_TEST

START_TEST(test_iova_freed_small_stays_reserved_in_tree)
{
	/* free_iova_fast(): an IOVA of < 64 pages goes to the rcache and
	 * its node stays in the tree. */
	bool pci32 = true;
	struct dmasim__iova_node n;

	ck_assert_uint_eq(dma_alloc(4096, ~0ull, &pci32), 0xfffff000);
	dma_free(0xfffff000, 4096);
	ck_assert(dmasim__iova_find(&D, 0xfffff, &n));
	ck_assert_uint_eq(dmasim__iova_cached_count(&D), 1);
}
END_TEST

START_TEST(test_iova_large_freed_back_to_tree)
{
	/* iova_rcache_insert(): order_base_2(64) = 6 is not cached, so
	 * free_iova() removes the node and the cached node moves above it. */
	bool pci32 = true;
	uint64_t a;

	a = dma_alloc(64 * 4096, ~0ull, &pci32);
	ck_assert_uint_eq(a, 0xfffc0000);
	dma_free(a, 64 * 4096);
	ck_assert(!dmasim__iova_find(&D, a >> SHIFT, NULL));
	ck_assert_uint_eq(dmasim__iova_cached_count(&D), 0);
	ck_assert_uint_eq(dma_alloc(64 * 4096, ~0ull, &pci32), 0xfffc0000);
}
END_TEST

START_TEST(test_iova_32_pages_is_cached)
{
	/* iova_rcache_insert(): log_size < IOVA_RANGE_CACHE_MAX_SIZE (6), so
	 * a 32-page (128 KiB) IOVA is still cached; 33..63 pages are not. */
	bool pci32 = true;
	uint64_t a = dma_alloc(32 * 4096, ~0ull, &pci32);

	ck_assert_uint_eq(a, 0xfffe0000);
	dma_free(a, 32 * 4096);
	ck_assert_uint_eq(dmasim__iova_cached_count(&D), 1);
	a = dma_alloc(33 * 4096, ~0ull, &pci32);
	dma_free(a, 33 * 4096);
	ck_assert_uint_eq(dmasim__iova_cached_count(&D), 1);
}
END_TEST

START_TEST(test_iova_pow2_rounding_and_natural_alignment)
{
	/* alloc_iova_fast(): 20 pages -> 32, aligned to 128 KiB
	 * (__alloc_and_insert_iova_range align_mask); 16 pages (64 KiB) stay
	 * 16 and align to 64 KiB; 3 pages -> 4. */
	bool pci32 = true;

	ck_assert_uint_eq(dma_alloc(4096, ~0ull, &pci32), 0xfffff000);
	ck_assert_uint_eq(dma_alloc(20 * 4096, ~0ull, &pci32), 0xfffc0000);
	ck_assert_uint_eq(dma_alloc(16 * 4096, ~0ull, &pci32), 0xfffb0000);
	ck_assert_uint_eq(dma_alloc(3 * 4096, ~0ull, &pci32), 0xfffac000);
	/* 40 pages: not rounded (>= 32) but aligned to 64 pages */
	ck_assert_uint_eq(dma_alloc(40 * 4096, ~0ull, &pci32), 0xfff80000);
}
END_TEST

START_TEST(test_iova_reserved_window_skipped)
{
	/* iova_reserve_pci_windows(): a host-bridge window's bus range is a
	 * tree node; the top-down search steps below it. */
	bool pci32 = true;

	ck_assert_int_eq(dmasim__iova_reserve(&D, 0xc0000, 0xfffff), 0);
	ck_assert_uint_eq(dma_alloc(4096, ~0ull, &pci32), 0xbffff000);
	ck_assert_uint_eq(dma_alloc(64 * 1024, ~0ull, &pci32), 0xbffe0000);
}
END_TEST

START_TEST(test_iova_32bit_first_then_above)
{
	/* iommu_dma_alloc_iova(): below 4 GiB first; when that fails the
	 * (v6.4+ sticky) workaround is dropped and the full limit is used. */
	bool pci32 = true;

	ck_assert_int_eq(dmasim__iova_reserve(&D, 1, 0xfffff), 0);
	ck_assert_uint_eq(dma_alloc(4096, (1ull << 48) - 1, &pci32), 0xfffffffff000);
	ck_assert(!pci32);
	ck_assert_uint_eq(dma_alloc(4096, (1ull << 48) - 1, &pci32), 0xffffffffe000);
	/* max32_alloc_size: the 32-bit space is known full for this size */
	ck_assert_uint_eq(D.max32_alloc_size, 1);
}
END_TEST

START_TEST(test_iova_page_zero_never_handed_out)
{
	/* iommu_dma_init_domain(): start_pfn = max(1, aperture_start) */
	ck_assert_uint_eq(dmasim__iova_alloc_fast(&D, 1, 2, true), 2);
	ck_assert_uint_eq(dmasim__iova_alloc_fast(&D, 1, 2, true), 1);
	ck_assert_uint_eq(dmasim__iova_alloc_fast(&D, 1, 2, true), 0);
}
END_TEST

START_TEST(test_iova_retry_from_top_after_cached_runs_out)
{
	/* __alloc_and_insert_iova_range(): the walk starts at the cached
	 * node; when nothing is left below it, retry once from the limit
	 * with low = retry_pfn + 1 (commit 4e89dce72521). */
	ck_assert_uint_eq(dmasim__iova_alloc(&D, 1, 3, true), 3);
	ck_assert_uint_eq(dmasim__iova_alloc(&D, 1, 0xfffff, true), 2);
	ck_assert_uint_eq(dmasim__iova_alloc(&D, 1, 0xfffff, true), 1);
	ck_assert_uint_eq(dmasim__iova_alloc(&D, 1, 0xfffff, true), 0xfffff);
}
END_TEST

START_TEST(test_iova_rcache_respects_limit)
{
	/* iova_magazine_pop(): a cached pfn above the limit is skipped; the
	 * one taken is replaced by the top entry. */
	uint64_t a = dmasim__iova_alloc_fast(&D, 1, 0xfffff, true);
	uint64_t b = dmasim__iova_alloc_fast(&D, 1, 0x7ffff, true);

	ck_assert_uint_eq(a, 0xfffff);
	ck_assert_uint_eq(b, 0x7ffff);
	dmasim__iova_free_fast(&D, b, 1);
	dmasim__iova_free_fast(&D, a, 1);
	/* top of the magazine is a (0xfffff) but the limit excludes it */
	ck_assert_uint_eq(dmasim__iova_alloc_fast(&D, 1, 0x7ffff, true), 0x7ffff);
	ck_assert_uint_eq(dmasim__iova_alloc_fast(&D, 1, 0xfffff, true), 0xfffff);
}
END_TEST

START_TEST(test_iova_reserve_merges_overlaps)
{
	/* reserve_iova() / __adjust_overlap_range() */
	struct dmasim__iova_node n;

	ck_assert_int_eq(dmasim__iova_reserve(&D, 0x100, 0x1ff), 0);
	ck_assert_int_eq(dmasim__iova_reserve(&D, 0x80, 0x27f), 0);
	ck_assert(dmasim__iova_find(&D, 0x80, &n));
	ck_assert_uint_eq(n.lo, 0x80);
	ck_assert_uint_eq(n.hi, 0x1ff);
	ck_assert(dmasim__iova_find(&D, 0x27f, &n));
	ck_assert_uint_eq(n.lo, 0x200);
	ck_assert_uint_eq(n.hi, 0x27f);
	/* fully inside: nothing new */
	ck_assert_int_eq(dmasim__iova_reserve(&D, 0x90, 0xa0), 0);
	ck_assert(dmasim__iova_find(&D, 0x90, &n));
	ck_assert_uint_eq(n.lo, 0x80);
	/* nonsensical pfns (reserve_iova WARN_ON) */
	ck_assert_int_ne(dmasim__iova_reserve(&D, 0, ~0ull), 0);
}
END_TEST

START_TEST(test_iova_flush_rcache_on_exhaustion)
{
	/* alloc_iova_fast(flush_rcache = true): when the tree is full the
	 * cached ranges go back to the tree and the allocation retries. */
	uint64_t p;

	ck_assert_uint_eq(dmasim__iova_alloc_fast(&D, 1, 2, true), 2);
	ck_assert_uint_eq(dmasim__iova_alloc_fast(&D, 1, 2, true), 1);
	dmasim__iova_free_fast(&D, 1, 1);
	dmasim__iova_free_fast(&D, 2, 1);
	/* a 2-page request cannot use the 1-page cache; flush and retry */
	p = dmasim__iova_alloc_fast(&D, 2, 3, true);
	ck_assert_uint_eq(p, 2);
	ck_assert_uint_eq(dmasim__iova_cached_count(&D), 0);
}
END_TEST

START_TEST(test_iova_magazines_spill_to_depot)
{
	/* __iova_rcache_insert(): loaded, then prev, then the depot; the
	 * depot is reloaded LIFO when both are empty. */
	uint64_t pfns[300], i;

	for (i = 0; i < 300; i++)
		pfns[i] = dmasim__iova_alloc_fast(&D, 1, 0xfffff, true);
	for (i = 0; i < 300; i++)
		dmasim__iova_free_fast(&D, pfns[i], 1);
	ck_assert_uint_eq(dmasim__iova_cached_count(&D), 300);
	ck_assert_uint_eq(D.rcaches[0].depot_size, 1);
	/* LIFO: the last freed comes back first */
	ck_assert_uint_eq(dmasim__iova_alloc_fast(&D, 1, 0xfffff, true), pfns[299]);
}
END_TEST

static Suite *iova_suite(void)
{
	Suite *s = suite_create("iova");
	TCase *tc = tcase_create("Allocator");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_iova_kernel_observed_sequence);
	tcase_add_test(tc, test_iova_freed_small_stays_reserved_in_tree);
	tcase_add_test(tc, test_iova_large_freed_back_to_tree);
	tcase_add_test(tc, test_iova_32_pages_is_cached);
	tcase_add_test(tc, test_iova_pow2_rounding_and_natural_alignment);
	tcase_add_test(tc, test_iova_reserved_window_skipped);
	tcase_add_test(tc, test_iova_32bit_first_then_above);
	tcase_add_test(tc, test_iova_page_zero_never_handed_out);
	tcase_add_test(tc, test_iova_retry_from_top_after_cached_runs_out);
	tcase_add_test(tc, test_iova_rcache_respects_limit);
	tcase_add_test(tc, test_iova_reserve_merges_overlaps);
	tcase_add_test(tc, test_iova_flush_rcache_on_exhaustion);
	tcase_add_test(tc, test_iova_magazines_spill_to_depot);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(iova_suite());
}

/*
 * dmasim -- soundness of a policy's answer against the hardware.
 *
 * sound:        the mapping lands on its target, or it is refused and no
 *               address the client could be given would reach the target;
 * unsound:      the kernel gave an address and the DMA lands elsewhere;
 * conservative: refused, while some address (the target's bus address for
 *               direct P2P, its CPU address, its inbound-translated
 *               address, or an IOVA the client's IOMMU domain maps to it)
 *               would be routed to the target by the hardware.
 */
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_int.h"
#include "scenario/verdict.h"

/* phys_to_dma through the host bridge's inbound ranges, or phys. */
static bool inbound_inverse(const struct dmasim_host_bridge *hb, uint64_t phys,
			    uint64_t *bus)
{
	size_t i;

	if (!hb->has_dma_ranges) {
		*bus = phys;
		return true;
	}
	for (i = 0; i < hb->ndma_ranges; i++) {
		const struct dmasim_dma_range *r = &hb->dma_ranges[i];
		if (phys >= r->cpu && phys - r->cpu < r->size) {
			*bus = r->bus + (phys - r->cpu);
			return true;
		}
	}
	return false;
}

static bool lands_on(const struct dmasim_topo *topo, const struct dmasim_iommu_pt *pt,
		     const struct dmasim_device *client, uint64_t addr, uint64_t size,
		     bool write, const struct dmasim_landing *target)
{
	struct dmasim_route *r = &(struct dmasim_route){ 0 };
	uint64_t mask = client->dma_mask_bits >= 64 ? UINT64_MAX
						    : (1ull << client->dma_mask_bits) - 1;

	/* The device cannot put an address above its DMA mask on the wire. */
	if (addr > mask || size - 1 > mask - addr)
		return false;
	if (dmasim_route(topo, pt, client, addr, size, write, r) != DMASIM_OK)
		return false;
	if (target->kind == DMASIM_LAND_BAR)
		return r->land.kind == DMASIM_LAND_BAR && r->land.bar == target->bar &&
		       r->land.offset == target->offset;
	return r->land.kind == DMASIM_LAND_RAM && r->land.cpu == target->cpu;
}

bool dmasim__hw_reachable(const struct dmasim_topo *topo,
			  const struct dmasim_device *client, uint64_t phys,
			  uint64_t size, bool write)
{
	static const uint64_t iovas[] = { 0x100000, 0x40000000, 0x100000000ull };
	struct dmasim_landing target;
	struct dmasim_iommu_pt *pt;
	uint64_t addr, page = phys & ~0xfffull, off = phys & 0xfff;
	uint64_t len = ((off + size + 0xfff) & ~0xfffull);
	bool ok = false;
	size_t i;

	if (dmasim_decode_cpu(topo, phys, size, &target) != DMASIM_OK ||
	    target.kind == DMASIM_LAND_FAULT)
		return false;
	if (target.kind == DMASIM_LAND_BAR &&
	    lands_on(topo, NULL, client, target.bar->bus + target.offset, size, write, &target))
		return true;
	if (lands_on(topo, NULL, client, phys, size, write, &target))
		return true;
	if (inbound_inverse(client->hb, phys, &addr) && addr != phys &&
	    lands_on(topo, NULL, client, addr, size, write, &target))
		return true;
	if (client->domain != DMASIM_DOMAIN_DMA || client->iommu_group == DMASIM_NO_GROUP)
		return false;
	pt = dmasim_iommu_pt_create(topo);
	if (!pt)
		return false;
	for (i = 0; i < sizeof(iovas) / sizeof(iovas[0]) && !ok; i++) {
		if (dmasim_iommu_pt_map(pt, client->iommu_group, iovas[i], page, len,
					DMASIM_PROT_READ | DMASIM_PROT_WRITE | DMASIM_PROT_MMIO,
					NULL) != DMASIM_OK)
			continue;
		ok = lands_on(topo, pt, client, iovas[i] + off, size, write, &target);
		dmasim_iommu_pt_unmap(pt, client->iommu_group, iovas[i], len, NULL);
	}
	dmasim_iommu_pt_destroy(pt);
	return ok;
}

enum dmasim_verdict dmasim_verdict_of(const struct dmasim_topo *topo,
				      const struct dmasim_dma_result *res)
{
	if (res->verdict == DMASIM_DMA_VERDICT_OK)
		return DMASIM_VERDICT_SOUND;
	if (res->verdict == DMASIM_DMA_VERDICT_INVALID_ADDRESS)
		return DMASIM_VERDICT_UNSOUND;
	return dmasim__hw_reachable(topo, res->dev, res->phys, res->size, res->write)
		       ? DMASIM_VERDICT_CONSERVATIVE : DMASIM_VERDICT_SOUND;
}

int dmasim__pair_verdict(const struct dmasim_topo *topo,
			 const struct dmasim_policy *policy,
			 const struct dmasim_device *provider,
			 const struct dmasim_device *client, enum dmasim_verdict *out,
			 struct dmasim_dma_result *res)
{
	struct dmasim_dma_ctx *ctx;
	int rc;

	if ((rc = dmasim_dma_ctx_create(topo, policy, &ctx, NULL)))
		return rc;
	rc = dmasim_dma_p2p_map(ctx, provider, client, 0, 4096, res, NULL);
	if (rc == DMASIM_OK)
		*out = dmasim_verdict_of(topo, res);
	dmasim_dma_ctx_destroy(ctx);
	return rc;
}

const char *dmasim_verdict_name(enum dmasim_verdict v)
{
	return (unsigned)v < DMASIM_VERDICT_COUNT ? dmasim__verdict_names[v] : "unknown";
}

int dmasim_pair_report(const struct dmasim_topo *topo,
		       const struct dmasim_policy *policy,
		       const struct dmasim_device *provider,
		       const struct dmasim_device *client,
		       struct dmasim_pair_report *out, struct dmasim_error *err)
{
	struct dmasim_dma_result *res;
	int rc;

	memset(out, 0, sizeof(*out));
	out->provider = provider;
	out->client = client;
	out->map_type = dmasim_p2p_map_type(topo, policy, provider, client,
					    &out->distance, 0, NULL);
	if (!dmasim_dma_p2pmem_bar(provider))
		return DMASIM_OK;
	res = calloc(1, sizeof(*res));
	if (!res)
		return dmasim_error_set(err, DMASIM_ENOMEM, NULL, 0, 0, "out of memory");
	rc = dmasim__pair_verdict(topo, policy, provider, client, &out->verdict, res);
	if (rc == DMASIM_OK) {
		out->mapped = true;
		out->path = res->path;
		out->dma_addr = res->dma_addr;
		out->mapping_error = res->mapping_error;
		out->routed = res->routed;
		out->landed = res->route.land;
		out->fault = res->fault;
	} else {
		rc = dmasim_error_set(err, rc, NULL, 0, 0,
				      "mapping p2pmem of %s for %s failed: %s",
				      provider->name, client->name, dmasim_strerror(rc));
	}
	free(res);
	return rc;
}

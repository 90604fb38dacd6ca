/*
 * dmasim -- mapping a provider's p2pmem for a client, as the policy's
 * kernel does it (drivers/pci/p2pdma.c): pci_p2pdma_map_sg (v4.20-v6.1)
 * and pci_p2pdma_map_segment (v6.2+) for BUS_ADDR, the normal page mapping
 * for THRU_HOST_BRIDGE, and dma_map_resource() for the 2018 proposal.
 */
#include <stdio.h>
#include <string.h>

#include "dma/dma_int.h"

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

const struct dmasim_bar *dmasim_dma_p2pmem_bar(const struct dmasim_device *dev)
{
	const struct dmasim_bar *best = NULL;
	size_t i;

	for (i = 0; dev && i < dev->nbars; i++)
		if (dev->bars[i].p2pmem && (!best || dev->bars[i].index < best->index))
			best = &dev->bars[i];
	return best;
}

static bool owns(const struct dmasim_machine *m, const struct dmasim_device *d)
{
	return d && d->id < m->ndevices && &m->devices[d->id] == d;
}

int dmasim_dma_p2p_map(struct dmasim_dma_ctx *c,
		       const struct dmasim_device *provider,
		       const struct dmasim_device *client, uint64_t offset,
		       uint64_t size, struct dmasim_dma_result *out,
		       struct dmasim_error *err)
{
	const struct dmasim_policy *P;
	const struct dmasim_bar *bar;
	dmasim_phys_addr_t phys;
	int64_t off;
	int rc;

	if (!c || !out || !owns(c->m, provider) || !owns(c->m, client))
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"a P2P mapping needs a context, a result, and a provider and a client of its topology");
	P = &c->policy;
	bar = dmasim_dma_p2pmem_bar(provider);
	if (!bar)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"%s offers no p2pmem BAR (p2pmem: [...] in the topology)",
					provider->name);
	/* pci_p2pdma_add_resource() / the allocation: inside the BAR */
	if (size == 0 || offset >= bar->size || size > bar->size - offset)
		return dmasim_error_set(err, DMASIM_EINVAL, NULL, 0, 0,
					"p2pmem range 0x%llx+0x%llx is not inside BAR %u of %s (0x%llx bytes)",
					ull(offset), ull(size), bar->index, provider->name,
					ull(bar->size));
	phys = bar->cpu + offset;
	dmasim__dma_result_init(out, client, phys, size, DMASIM_DMA_BIDIRECTIONAL);
	(void)dmasim_decode_cpu(c->topo, phys, size, &out->target);
	out->p2p = true;
	out->provider = provider;
	out->bar = bar;
	/* pci_bus_address(pdev, bar) - pci_resource_start(pdev, bar) */
	off = (int64_t)(bar->bus - bar->cpu);
	out->bus_offset = off;
	out->map_type = dmasim_p2p_map_type(c->topo, P, provider, client,
					    &out->p2p_dist, DMASIM_P2P_VERBOSE,
					    &out->log);

	switch (out->map_type) {
	case DMASIM_MAP_BUS_ADDR:
		out->path = DMASIM_DMA_PATH_P2P_BUS_ADDR;
		out->mapping_error = false;
		if (P->bus_offset_minus) {
			/* v4.20-v5.15: dma = phys - bus_offset (sign bug,
			 * fixed by 3a19407913e8 in v5.16) */
			out->dma_addr = phys - (uint64_t)off;
			out->op = "pci_p2pdma_map_sg";
			snprintf(out->why, sizeof(out->why),
				 "BUS_ADDR: phys 0x%llx - bus_offset %s0x%llx = 0x%llx (the <= v5.15 sign bug; the bus address is 0x%llx)",
				 ull(phys), off < 0 ? "-" : "",
				 ull(off < 0 ? (uint64_t)-off : (uint64_t)off),
				 ull(out->dma_addr), ull(phys + (uint64_t)off));
		} else {
			out->dma_addr = phys + (uint64_t)off;
			out->op = "pci_p2pdma_map_segment";
			snprintf(out->why, sizeof(out->why),
				 "BUS_ADDR: phys 0x%llx + bus_offset %s0x%llx = PCI bus address 0x%llx",
				 ull(phys), off < 0 ? "-" : "",
				 ull(off < 0 ? (uint64_t)-off : (uint64_t)off),
				 ull(out->dma_addr));
		}
		break;
	case DMASIM_MAP_THRU_HOST_BRIDGE:
		if (P->decision == DMASIM_DECIDE_SEED2018)
			/* The proposal's exporter: dma_map_resource(importer,
			 * phys, size, dir, DMA_ATTR_SKIP_CPU_SYNC). */
			rc = dmasim__dma_map_resource(c, client, out, err);
		else
			/* pci_p2pdma_map_sg_attrs -> dma_map_sg_attrs (v5.4+),
			 * or dma_map_sg handling the P2P page itself (v6.2+) */
			rc = dmasim__dma_map_page(c, client, out, err);
		if (rc != DMASIM_OK)
			return rc;
		break;
	case DMASIM_MAP_NOT_SUPPORTED:
	default:
		dmasim__dma_refuse(out, DMASIM_DMA_REASON_P2P_NOT_SUPPORTED,
				   DMASIM_FAULT_NOT_SUPPORTED, "pci_p2pdma_map_type",
				   "%s cannot reach the p2pmem of %s under %s: NOT_SUPPORTED (dma_map_sg fails with -EREMOTEIO)",
				   client->name, provider->name, P->name);
		break;
	}
	if ((rc = dmasim__dma_record(c, out, err)) != DMASIM_OK)
		return rc;
	dmasim__dma_verify(c, out);
	return DMASIM_OK;
}

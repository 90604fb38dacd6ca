/*
 * dmasim -- umbrella header.
 *
 * libdmasim models a machine's PCI Express fabric (topology.h, load.h),
 * routes memory requests through it (fabric.h, iommu.h), and runs the
 * Linux kernel's peer-to-peer DMA decisions and DMA mappings on it
 * (p2pdma.h, policy.h), so that a mapping's address can be checked against
 * where the device's write really lands.
 */
#ifndef DMASIM_DMASIM_H
#define DMASIM_DMASIM_H

#include "dmasim/error.h"
#include "dmasim/limits.h"
#include "dmasim/log.h"
#include "dmasim/topology.h"
#include "dmasim/load.h"
#include "dmasim/iommu.h"
#include "dmasim/fabric.h"
#include "dmasim/policy.h"
#include "dmasim/p2pdma.h"
#include "dmasim/dma.h"
#include "dmasim/import.h"
#include "dmasim/scenario.h"

#endif

/*
 * dmasim -- private to the command-line tool: the small part of the POSIX
 * ustar format that `dmasim collect` writes and `dmasim import sysfs
 * FILE.tar` reads (docs/import.md, "Snapshots").
 *
 * The writer emits directories, regular files and symbolic links with
 * fixed owner and time, so the same files give the same archive.  The
 * extractor unpacks an archive into an empty directory and never writes
 * outside it: absolute names, ".." components, links that an entry would
 * be written through, devices, FIFOs and hard links are errors.
 */
#ifndef DMASIM_CLI_TAR_H
#define DMASIM_CLI_TAR_H

#include <stdint.h>
#include <stdio.h>

#include "dmasim/error.h"

struct tar_writer {
	FILE *f;
	uint64_t bytes;   /* written so far */
	int failed;       /* a write failed (errno kept in err_no) */
	int err_no;
};

void tar_writer_init(struct tar_writer *w, FILE *f);
/* Entries: @name relative, '/'-separated, at most 255 bytes. */
int tar_add_dir(struct tar_writer *w, const char *name);
int tar_add_file(struct tar_writer *w, const char *name, const void *data, size_t len);
int tar_add_symlink(struct tar_writer *w, const char *name, const char *target);
/* The two zero blocks that end an archive; 0 when every write succeeded. */
int tar_finish(struct tar_writer *w);

/*
 * tar_extract() - unpack the archive @path into the existing empty
 * directory @dir.  At most @max_bytes of archive are read and at most
 * @max_entries entries are made.  Errors name @path and the byte offset
 * of the offending header.
 */
int tar_extract(const char *path, const char *dir, uint64_t max_bytes,
		uint64_t max_entries, struct dmasim_error *err);

/* tar_is_archive() - does @path start with a ustar or GNU tar header? */
int tar_is_archive(const char *path);

/* rm_tree() - remove @dir and everything below it; symbolic links are
 * removed, never followed. */
void rm_tree(const char *dir);

#endif

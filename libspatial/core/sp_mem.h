/* sp_mem: memory for grids and rasters. */
#ifndef SP_MEM_H
#define SP_MEM_H

#include <stddef.h>

/* Zero-filled memory of `bytes` (NULL when out of memory); free with sp_big_free and
 * the same size. Large blocks are mmap'ed (huge pages where the kernel allows). */
void *sp_big_alloc(size_t bytes);
void sp_big_free(void *p, size_t bytes);

#endif

/* sp_share: the data files installed with onemap (PREFIX/share/onemap: Leaflet for the
 * preview page, the colour styles, the factor table, the example specs), found next to
 * the running tool, so that an installed tree works wherever it is put. */
#ifndef SP_SHARE_H
#define SP_SHARE_H

#include <stdbool.h>
#include <stddef.h>

/* The share folder of the running program: <dir of the executable>/../share/onemap into
 * buf; false when the program's path is unknown or that folder does not exist (a tool
 * run from the build tree). */
bool sp_share_dir(char *buf, size_t size);

/* The path of an installed data file, e.g. sp_share_find("styles", "nox_density.txt"):
 * <share>/<sub>/<name> into buf when it exists; false otherwise. */
bool sp_share_find(const char *sub, const char *name, char *buf, size_t size);

#endif

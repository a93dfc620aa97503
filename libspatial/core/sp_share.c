/* sp_share: finding the installed data files from /proc/self/exe. */
#include "core/sp_share.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

bool sp_share_dir(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = 0; /* the bin folder */
    int w = snprintf(buf, size, "%s/../share/onemap", exe);
    return w > 0 && (size_t)w < size && is_dir(buf);
}

bool sp_share_find(const char *sub, const char *name, char *buf, size_t size)
{
    char dir[PATH_MAX];
    if (!sp_share_dir(dir, sizeof dir))
        return false;
    int w = snprintf(buf, size, "%s/%s/%s", dir, sub, name);
    return w > 0 && (size_t)w < size && access(buf, R_OK) == 0;
}

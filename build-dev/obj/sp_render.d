build-dev/obj/sp_render.o: libspatial/sp_render.c libspatial/sp_render.h \
 libspatial/sp_style.h libspatial/sp_ctx.h libspatial/sp_mem.h \
 libspatial/sp_pool.h libspatial/sp_tile.h /usr/include/cairo/cairo.h \
 /usr/include/cairo/cairo-version.h /usr/include/cairo/cairo-features.h \
 /usr/include/cairo/cairo-deprecated.h
libspatial/sp_render.h:
libspatial/sp_style.h:
libspatial/sp_ctx.h:
libspatial/sp_mem.h:
libspatial/sp_pool.h:
libspatial/sp_tile.h:
/usr/include/cairo/cairo.h:
/usr/include/cairo/cairo-version.h:
/usr/include/cairo/cairo-features.h:
/usr/include/cairo/cairo-deprecated.h:

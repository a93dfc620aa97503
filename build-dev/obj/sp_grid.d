build-dev/obj/sp_grid.o: libspatial/sp_grid.c libspatial/sp_grid.h \
 libspatial/sp_ctx.h
libspatial/sp_grid.h:
libspatial/sp_ctx.h:

build-dev/obj/sp_coverage.o: libspatial/sp_coverage.c \
 libspatial/sp_coverage.h libspatial/sp_geom.h libspatial/sp_ctx.h \
 libspatial/sp_grid.h
libspatial/sp_coverage.h:
libspatial/sp_geom.h:
libspatial/sp_ctx.h:
libspatial/sp_grid.h:

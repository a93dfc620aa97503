build-dev/obj/sp_gridding.o: libspatial/sp_gridding.c \
 libspatial/sp_gridding.h libspatial/sp_coverage.h libspatial/sp_geom.h \
 libspatial/sp_ctx.h libspatial/sp_grid.h
libspatial/sp_gridding.h:
libspatial/sp_coverage.h:
libspatial/sp_geom.h:
libspatial/sp_ctx.h:
libspatial/sp_grid.h:

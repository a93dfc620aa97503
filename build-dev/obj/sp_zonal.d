build-dev/obj/sp_zonal.o: libspatial/sp_zonal.c libspatial/sp_zonal.h \
 libspatial/sp_coverage.h libspatial/sp_geom.h libspatial/sp_ctx.h \
 libspatial/sp_grid.h
libspatial/sp_zonal.h:
libspatial/sp_coverage.h:
libspatial/sp_geom.h:
libspatial/sp_ctx.h:
libspatial/sp_grid.h:

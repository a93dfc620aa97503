build-dev/obj/sp_geom.o: libspatial/sp_geom.c libspatial/sp_geom.h \
 libspatial/sp_ctx.h
libspatial/sp_geom.h:
libspatial/sp_ctx.h:

build-dev/obj/sp_mbtiles.o: libspatial/sp_mbtiles.c \
 libspatial/sp_mbtiles.h libspatial/sp_ctx.h libspatial/sp_tile.h
libspatial/sp_mbtiles.h:
libspatial/sp_ctx.h:
libspatial/sp_tile.h:

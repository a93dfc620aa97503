build-dev/obj/sp_tile_sink.o: libspatial/sp_tile_sink.c \
 libspatial/sp_tile_sink.h libspatial/sp_ctx.h libspatial/sp_mbtiles.h \
 libspatial/sp_pmtiles.h
libspatial/sp_tile_sink.h:
libspatial/sp_ctx.h:
libspatial/sp_mbtiles.h:
libspatial/sp_pmtiles.h:

build-dev/obj/sp_pmtiles.o: libspatial/sp_pmtiles.c \
 libspatial/sp_pmtiles.h libspatial/sp_tile_sink.h libspatial/sp_ctx.h
libspatial/sp_pmtiles.h:
libspatial/sp_tile_sink.h:
libspatial/sp_ctx.h:

build-dev/obj/sp_tiles_side.o: libspatial/sp_tiles_side.c \
 libspatial/sp_tiles_impl.h libspatial/sp_tiles_run.h \
 libspatial/sp_render.h libspatial/sp_style.h libspatial/sp_ctx.h \
 libspatial/sp_output.h libspatial/sp_share.h libspatial/sp_tile_sink.h \
 libspatial/sp_tile.h
libspatial/sp_tiles_impl.h:
libspatial/sp_tiles_run.h:
libspatial/sp_render.h:
libspatial/sp_style.h:
libspatial/sp_ctx.h:
libspatial/sp_output.h:
libspatial/sp_share.h:
libspatial/sp_tile_sink.h:
libspatial/sp_tile.h:

build-dev/obj/sp_tiles_run.o: libspatial/sp_tiles_run.c \
 libspatial/sp_text.h libspatial/sp_ctx.h libspatial/sp_output.h \
 libspatial/sp_tile_sink.h libspatial/sp_tiles_impl.h \
 libspatial/sp_tiles_run.h libspatial/sp_render.h libspatial/sp_style.h \
 libspatial/sp_png.h libspatial/sp_tile.h libspatial/sp_pool.h
libspatial/sp_text.h:
libspatial/sp_ctx.h:
libspatial/sp_output.h:
libspatial/sp_tile_sink.h:
libspatial/sp_tiles_impl.h:
libspatial/sp_tiles_run.h:
libspatial/sp_render.h:
libspatial/sp_style.h:
libspatial/sp_png.h:
libspatial/sp_tile.h:
libspatial/sp_pool.h:

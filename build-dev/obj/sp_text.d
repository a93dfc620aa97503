build-dev/obj/sp_text.o: libspatial/sp_text.c libspatial/sp_text.h \
 libspatial/sp_ctx.h
libspatial/sp_text.h:
libspatial/sp_ctx.h:

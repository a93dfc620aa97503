build-dev/obj/sp_factors.o: libspatial/sp_factors.c \
 libspatial/sp_factors.h libspatial/sp_ctx.h libspatial/sp_text.h
libspatial/sp_factors.h:
libspatial/sp_ctx.h:
libspatial/sp_text.h:

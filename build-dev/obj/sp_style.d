build-dev/obj/sp_style.o: libspatial/sp_style.c libspatial/sp_text.h \
 libspatial/sp_ctx.h libspatial/sp_style.h libspatial/sp_share.h
libspatial/sp_text.h:
libspatial/sp_ctx.h:
libspatial/sp_style.h:
libspatial/sp_share.h:

build-dev/obj/sp_score.o: libspatial/sp_score.c libspatial/sp_score.h \
 libspatial/sp_ctx.h
libspatial/sp_score.h:
libspatial/sp_ctx.h:

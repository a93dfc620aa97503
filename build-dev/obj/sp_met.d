build-dev/obj/sp_met.o: libspatial/sp_met.c libspatial/sp_met.h \
 libspatial/sp_ctx.h
libspatial/sp_met.h:
libspatial/sp_ctx.h:

build-dev/obj/sp_disperse.o: libspatial/sp_disperse.c \
 libspatial/sp_disperse.h libspatial/sp_met.h libspatial/sp_ctx.h
libspatial/sp_disperse.h:
libspatial/sp_met.h:
libspatial/sp_ctx.h:

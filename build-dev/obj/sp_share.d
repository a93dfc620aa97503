build-dev/obj/sp_share.o: libspatial/sp_share.c libspatial/sp_share.h
libspatial/sp_share.h:

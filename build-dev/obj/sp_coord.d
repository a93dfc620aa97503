build-dev/obj/sp_coord.o: libspatial/sp_coord.c libspatial/sp_coord.h
libspatial/sp_coord.h:

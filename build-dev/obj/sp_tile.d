build-dev/obj/sp_tile.o: libspatial/sp_tile.c libspatial/sp_tile.h
libspatial/sp_tile.h:

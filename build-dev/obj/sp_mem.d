build-dev/obj/sp_mem.o: libspatial/sp_mem.c libspatial/sp_mem.h
libspatial/sp_mem.h:

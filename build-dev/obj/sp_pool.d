build-dev/obj/sp_pool.o: libspatial/sp_pool.c libspatial/sp_pool.h
libspatial/sp_pool.h:

build-dev/obj/sp_png.o: libspatial/sp_png.c libspatial/sp_png.h \
 libspatial/sp_ctx.h /usr/include/libpng16/png.h \
 /usr/include/libpng16/pnglibconf.h /usr/include/libpng16/pngconf.h
libspatial/sp_png.h:
libspatial/sp_ctx.h:
/usr/include/libpng16/png.h:
/usr/include/libpng16/pnglibconf.h:
/usr/include/libpng16/pngconf.h:

build-dev/obj/sp_valid.o: libspatial/sp_valid.c libspatial/sp_valid.h \
 libspatial/sp_ctx.h /usr/include/gdal/ogr_api.h \
 /usr/include/gdal/cpl_progress.h /usr/include/gdal/cpl_port.h \
 /usr/include/gdal/cpl_config.h /usr/include/gdal/cpl_minixml.h \
 /usr/include/gdal/ogr_core.h /usr/include/gdal/gdal_version.h
libspatial/sp_valid.h:
libspatial/sp_ctx.h:
/usr/include/gdal/ogr_api.h:
/usr/include/gdal/cpl_progress.h:
/usr/include/gdal/cpl_port.h:
/usr/include/gdal/cpl_config.h:
/usr/include/gdal/cpl_minixml.h:
/usr/include/gdal/ogr_core.h:
/usr/include/gdal/gdal_version.h:

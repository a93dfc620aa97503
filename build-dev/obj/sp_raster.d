build-dev/obj/sp_raster.o: libspatial/sp_raster.c libspatial/sp_raster.h \
 libspatial/sp_grid.h libspatial/sp_ctx.h libspatial/sp_gdalio.h \
 libspatial/sp_mem.h libspatial/sp_pool.h /usr/include/gdal/gdal.h \
 /usr/include/gdal/gdal_version.h /usr/include/gdal/cpl_port.h \
 /usr/include/gdal/cpl_config.h /usr/include/gdal/cpl_error.h \
 /usr/include/gdal/cpl_progress.h /usr/include/gdal/cpl_virtualmem.h \
 /usr/include/gdal/cpl_vsi.h /usr/include/gdal/cpl_minixml.h \
 /usr/include/gdal/ogr_api.h /usr/include/gdal/ogr_core.h \
 libspatial/sp_output.h /usr/include/gdal/cpl_conv.h \
 /usr/include/gdal/cpl_string.h /usr/include/gdal/cpl_conv.h \
 /usr/include/gdal/ogr_srs_api.h
libspatial/sp_raster.h:
libspatial/sp_grid.h:
libspatial/sp_ctx.h:
libspatial/sp_gdalio.h:
libspatial/sp_mem.h:
libspatial/sp_pool.h:
/usr/include/gdal/gdal.h:
/usr/include/gdal/gdal_version.h:
/usr/include/gdal/cpl_port.h:
/usr/include/gdal/cpl_config.h:
/usr/include/gdal/cpl_error.h:
/usr/include/gdal/cpl_progress.h:
/usr/include/gdal/cpl_virtualmem.h:
/usr/include/gdal/cpl_vsi.h:
/usr/include/gdal/cpl_minixml.h:
/usr/include/gdal/ogr_api.h:
/usr/include/gdal/ogr_core.h:
libspatial/sp_output.h:
/usr/include/gdal/cpl_conv.h:
/usr/include/gdal/cpl_string.h:
/usr/include/gdal/cpl_conv.h:
/usr/include/gdal/ogr_srs_api.h:

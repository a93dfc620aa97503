build-dev/obj/sp_zonal_raster.o: libspatial/sp_zonal_raster.c \
 libspatial/sp_zonal_impl.h libspatial/sp_raster.h libspatial/sp_grid.h \
 libspatial/sp_ctx.h libspatial/sp_zonal_run.h libspatial/sp_vector.h \
 libspatial/sp_coord.h libspatial/sp_geom.h /usr/include/gdal/ogr_api.h \
 /usr/include/gdal/cpl_progress.h /usr/include/gdal/cpl_port.h \
 /usr/include/gdal/cpl_config.h /usr/include/gdal/cpl_minixml.h \
 /usr/include/gdal/ogr_core.h /usr/include/gdal/gdal_version.h \
 libspatial/sp_zonal.h libspatial/sp_coverage.h libspatial/sp_gdalio.h \
 libspatial/sp_mem.h libspatial/sp_pool.h /usr/include/gdal/gdal.h \
 /usr/include/gdal/cpl_error.h /usr/include/gdal/cpl_virtualmem.h \
 /usr/include/gdal/cpl_vsi.h /usr/include/gdal/ogr_api.h \
 /usr/include/gdal/cpl_conv.h
libspatial/sp_zonal_impl.h:
libspatial/sp_raster.h:
libspatial/sp_grid.h:
libspatial/sp_ctx.h:
libspatial/sp_zonal_run.h:
libspatial/sp_vector.h:
libspatial/sp_coord.h:
libspatial/sp_geom.h:
/usr/include/gdal/ogr_api.h:
/usr/include/gdal/cpl_progress.h:
/usr/include/gdal/cpl_port.h:
/usr/include/gdal/cpl_config.h:
/usr/include/gdal/cpl_minixml.h:
/usr/include/gdal/ogr_core.h:
/usr/include/gdal/gdal_version.h:
libspatial/sp_zonal.h:
libspatial/sp_coverage.h:
libspatial/sp_gdalio.h:
libspatial/sp_mem.h:
libspatial/sp_pool.h:
/usr/include/gdal/gdal.h:
/usr/include/gdal/cpl_error.h:
/usr/include/gdal/cpl_virtualmem.h:
/usr/include/gdal/cpl_vsi.h:
/usr/include/gdal/ogr_api.h:
/usr/include/gdal/cpl_conv.h:

build-dev/obj/sp_inventory_run.o: libspatial/sp_inventory_run.c \
 libspatial/sp_inventory.h libspatial/sp_factors.h libspatial/sp_ctx.h \
 libspatial/sp_text.h libspatial/sp_coord.h libspatial/sp_geom.h \
 libspatial/sp_vector.h /usr/include/gdal/ogr_api.h \
 /usr/include/gdal/cpl_progress.h /usr/include/gdal/cpl_port.h \
 /usr/include/gdal/cpl_config.h /usr/include/gdal/cpl_minixml.h \
 /usr/include/gdal/ogr_core.h /usr/include/gdal/gdal_version.h \
 libspatial/sp_output.h /usr/include/gdal/cpl_conv.h \
 /usr/include/gdal/cpl_vsi.h /usr/include/gdal/cpl_error.h \
 /usr/include/gdal/cpl_string.h /usr/include/gdal/cpl_conv.h \
 /usr/include/gdal/gdal.h /usr/include/gdal/cpl_virtualmem.h \
 /usr/include/gdal/ogr_api.h /usr/include/gdal/ogr_srs_api.h
libspatial/sp_inventory.h:
libspatial/sp_factors.h:
libspatial/sp_ctx.h:
libspatial/sp_text.h:
libspatial/sp_coord.h:
libspatial/sp_geom.h:
libspatial/sp_vector.h:
/usr/include/gdal/ogr_api.h:
/usr/include/gdal/cpl_progress.h:
/usr/include/gdal/cpl_port.h:
/usr/include/gdal/cpl_config.h:
/usr/include/gdal/cpl_minixml.h:
/usr/include/gdal/ogr_core.h:
/usr/include/gdal/gdal_version.h:
libspatial/sp_output.h:
/usr/include/gdal/cpl_conv.h:
/usr/include/gdal/cpl_vsi.h:
/usr/include/gdal/cpl_error.h:
/usr/include/gdal/cpl_string.h:
/usr/include/gdal/cpl_conv.h:
/usr/include/gdal/gdal.h:
/usr/include/gdal/cpl_virtualmem.h:
/usr/include/gdal/ogr_api.h:
/usr/include/gdal/ogr_srs_api.h:

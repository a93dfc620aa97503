build-dev/obj/sp_score_stations.o: libspatial/sp_score_stations.c \
 libspatial/sp_score_impl.h libspatial/sp_score_run.h \
 libspatial/sp_score.h libspatial/sp_ctx.h libspatial/sp_table.h \
 /usr/include/gdal/ogr_api.h /usr/include/gdal/cpl_progress.h \
 /usr/include/gdal/cpl_port.h /usr/include/gdal/cpl_config.h \
 /usr/include/gdal/cpl_minixml.h /usr/include/gdal/ogr_core.h \
 /usr/include/gdal/gdal_version.h libspatial/sp_vector.h \
 libspatial/sp_coord.h libspatial/sp_geom.h /usr/include/gdal/cpl_conv.h \
 /usr/include/gdal/cpl_vsi.h /usr/include/gdal/cpl_error.h \
 /usr/include/gdal/ogr_srs_api.h
libspatial/sp_score_impl.h:
libspatial/sp_score_run.h:
libspatial/sp_score.h:
libspatial/sp_ctx.h:
libspatial/sp_table.h:
/usr/include/gdal/ogr_api.h:
/usr/include/gdal/cpl_progress.h:
/usr/include/gdal/cpl_port.h:
/usr/include/gdal/cpl_config.h:
/usr/include/gdal/cpl_minixml.h:
/usr/include/gdal/ogr_core.h:
/usr/include/gdal/gdal_version.h:
libspatial/sp_vector.h:
libspatial/sp_coord.h:
libspatial/sp_geom.h:
/usr/include/gdal/cpl_conv.h:
/usr/include/gdal/cpl_vsi.h:
/usr/include/gdal/cpl_error.h:
/usr/include/gdal/ogr_srs_api.h:

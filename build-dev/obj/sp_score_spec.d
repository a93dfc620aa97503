build-dev/obj/sp_score_spec.o: libspatial/sp_score_spec.c \
 libspatial/sp_score.h libspatial/sp_ctx.h
libspatial/sp_score.h:
libspatial/sp_ctx.h:

list(APPEND DMASIM_SOURCES fabric/decode_index.c)

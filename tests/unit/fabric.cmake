# Unit tests of the fabric layer (src/fabric, dmasim route).
dmasim_add_check(fabric)

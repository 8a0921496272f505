# FASTINTENT_SANITIZE="address;undefined" or "thread" instruments every target in the tree.
if(FASTINTENT_SANITIZE)
  list(JOIN FASTINTENT_SANITIZE "," _fi_sanitizers)
  if(FASTINTENT_SANITIZE MATCHES "thread" AND FASTINTENT_SANITIZE MATCHES "address")
    message(FATAL_ERROR "FASTINTENT_SANITIZE: 'thread' cannot be combined with 'address'; got '${FASTINTENT_SANITIZE}'")
  endif()
  add_compile_options(-fsanitize=${_fi_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${_fi_sanitizers})
endif()

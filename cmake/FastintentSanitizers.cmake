# FASTINTENT_SANITIZE="address;undefined" or "thread" instruments every target in the tree.
if(FASTINTENT_SANITIZE)
  list(JOIN FASTINTENT_SANITIZE "," _fi_sanitizers)
  if(FASTINTENT_SANITIZE MATCHES "thread" AND FASTINTENT_SANITIZE MATCHES "address")
    message(FATAL_ERROR "FASTINTENT_SANITIZE: 'thread' cannot be combined with 'address'; got '${FASTINTENT_SANITIZE}'")
  endif()
  add_compile_options(-fsanitize=${_fi_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${_fi_sanitizers})
endif()

# fastintent_fuzz_coverage(target): when fuzz targets are built, instrument a library a fuzz target exercises
# so libFuzzer gets coverage feedback from its code (and from header-only code it instantiates, such as
# nlohmann-json's parser); without it the fuzzer sees only its own entry point and mutates blind.
function(fastintent_fuzz_coverage target)
  if(FASTINTENT_BUILD_FUZZ)
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()

# fastintent_fuzz_executable(name source): a libFuzzer target (libFuzzer's main, coverage for its own file).
function(fastintent_fuzz_executable name source)
  add_executable(${name} ${source})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
endfunction()

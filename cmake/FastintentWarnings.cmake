# fastintent_warnings: an interface target every project target links, so all our code builds
# with the same warning set. Third-party headers come in as SYSTEM includes and stay quiet.
add_library(fastintent_warnings INTERFACE)
target_compile_options(fastintent_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
if(FASTINTENT_WERROR)
  target_compile_options(fastintent_warnings INTERFACE -Werror)
endif()

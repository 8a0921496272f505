# Every third-party dependency is found here, once. Targets named fastintent::dep_* wrap them.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(spdlog REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)

pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)

# The HTTP front: Boost.Beast and Boost.Asio 1.81 (header-only; Debian's libboost1.81-dev), TLS through OpenSSL,
# zlib for gzip/deflate request bodies. Every translation unit that includes Asio or Beast links
# fastintent::dep_beast, so all of them see the same configuration macros.
find_package(Boost 1.81 CONFIG REQUIRED COMPONENTS headers)
find_package(OpenSSL 3 REQUIRED)
find_package(ZLIB REQUIRED)
add_library(fastintent_dep_beast INTERFACE)
target_link_libraries(fastintent_dep_beast INTERFACE Boost::headers OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
# Only the current Asio interface. (Boost 1.81's beast::string_view is boost::core::string_view, which converts to
# and from std::string_view; BOOST_BEAST_USE_STD_STRING_VIEW no longer changes it and only prints a deprecation.)
target_compile_definitions(fastintent_dep_beast INTERFACE BOOST_ASIO_NO_DEPRECATED)
add_library(fastintent::dep_beast ALIAS fastintent_dep_beast)

# ONNX Runtime: headers + libonnxruntime.so from ONNXRUNTIME_ROOT (scripts/fetch_onnxruntime.sh
# fills third_party/onnxruntime; an official release tarball has the same layout).
find_path(ONNXRUNTIME_INCLUDE_DIR onnxruntime_cxx_api.h
          PATHS "${ONNXRUNTIME_ROOT}/include" "${ONNXRUNTIME_ROOT}/include/onnxruntime" NO_DEFAULT_PATH)
find_library(ONNXRUNTIME_LIBRARY NAMES onnxruntime libonnxruntime.so.1
             PATHS "${ONNXRUNTIME_ROOT}/lib" NO_DEFAULT_PATH)
if(NOT ONNXRUNTIME_INCLUDE_DIR OR NOT ONNXRUNTIME_LIBRARY)
  message(FATAL_ERROR "ONNX Runtime not found under ONNXRUNTIME_ROOT='${ONNXRUNTIME_ROOT}'. "
                      "Run scripts/setup.sh, or pass -DONNXRUNTIME_ROOT=<dir with include/ and lib/>.")
endif()
add_library(fastintent_dep_onnxruntime INTERFACE)
target_include_directories(fastintent_dep_onnxruntime SYSTEM INTERFACE "${ONNXRUNTIME_INCLUDE_DIR}")
target_link_libraries(fastintent_dep_onnxruntime INTERFACE "${ONNXRUNTIME_LIBRARY}")
add_library(fastintent::dep_onnxruntime ALIAS fastintent_dep_onnxruntime)

if(FASTINTENT_WITH_TORCH)
  find_package(Torch REQUIRED)
  add_library(fastintent_dep_torch INTERFACE)
  target_include_directories(fastintent_dep_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
  target_link_libraries(fastintent_dep_torch INTERFACE ${TORCH_LIBRARIES})
  add_library(fastintent::dep_torch ALIAS fastintent_dep_torch)
endif()
find_library(LIBLINEAR_LIBRARY NAMES linear REQUIRED)
find_path(LIBLINEAR_INCLUDE_DIR linear.h PATH_SUFFIXES liblinear REQUIRED)
add_library(fastintent_dep_liblinear INTERFACE)
target_include_directories(fastintent_dep_liblinear SYSTEM INTERFACE "${LIBLINEAR_INCLUDE_DIR}")
target_link_libraries(fastintent_dep_liblinear INTERFACE "${LIBLINEAR_LIBRARY}")
add_library(fastintent::dep_liblinear ALIAS fastintent_dep_liblinear)

# ONNX protobuf (Debian libonnx-dev): the exporter writes graphs with it, and the runtime rewrites attention cores
# into its native kernel at load (src/runtime/attention/attention_rewrite.h), so every build needs it.
find_package(Protobuf REQUIRED)
find_library(ONNX_PROTO_LIBRARY NAMES onnx_proto REQUIRED)
find_library(ONNX_LIBRARY NAMES onnx REQUIRED)
add_library(fastintent_dep_onnx_proto INTERFACE)
target_compile_definitions(fastintent_dep_onnx_proto INTERFACE ONNX_ML=1 ONNX_NAMESPACE=onnx)
target_link_libraries(fastintent_dep_onnx_proto INTERFACE "${ONNX_LIBRARY}" "${ONNX_PROTO_LIBRARY}" protobuf::libprotobuf)
add_library(fastintent::dep_onnx_proto ALIAS fastintent_dep_onnx_proto)

if(FASTINTENT_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
